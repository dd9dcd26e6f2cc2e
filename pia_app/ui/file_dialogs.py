"""Open and save file dialogs whose every label is in the user's language.

Qt's own file dialog (used where the desktop offers no native one, as on many Linux desktops and
under Xvfb) kept "Look in:" and "Files of type:" in English in the Chinese UI: Qt 6 labels them
"&Look in:" and "Files of &type:" (with mnemonics), and qtbase_zh_CN.qm as shipped with PySide6
translates only the older texts without them. `QFileDialog.setLabelText` sets those two, and the
file name and button labels with them, from the application's catalogues (mnemonics kept), so
every file dialog reads in one language. A native dialog (Windows, macOS, GNOME) is localised by
the desktop and keeps working as before.

The static `QFileDialog.get*FileName` functions cannot be given labels; the two functions here
stand in for them (and `file_dialog` builds the dialog without showing it, for the tests).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from pia_app.i18n import t

LABELS = {
    QFileDialog.DialogLabel.LookIn: "ui.file_dialog.look_in",
    QFileDialog.DialogLabel.FileName: "ui.file_dialog.file_name",
    QFileDialog.DialogLabel.FileType: "ui.file_dialog.file_type",
    QFileDialog.DialogLabel.Reject: "ui.file_dialog.cancel",
}
"""Label → catalogue key; the accept button's key depends on open or save."""


def file_dialog(
    parent: QWidget | None, title: str, directory: str, file_filter: str, save: bool
) -> QFileDialog:
    """A file dialog (not yet shown) to open an existing file or to name one to save."""
    dialog = QFileDialog(parent, title, directory, file_filter)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    for label, key in LABELS.items():
        dialog.setLabelText(label, t(key))
    dialog.setLabelText(
        QFileDialog.DialogLabel.Accept, t("ui.file_dialog.save" if save else "ui.file_dialog.open")
    )
    return dialog


def _ask(parent: QWidget | None, title: str, directory: str, file_filter: str, save: bool) -> str:
    dialog = file_dialog(parent, title, directory, file_filter, save)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return ""
    files = dialog.selectedFiles()
    return files[0] if files else ""


def open_file_path(parent: QWidget | None, title: str, directory: str, file_filter: str = "") -> str:
    """The path of an existing file the user picked, "" when cancelled."""
    return _ask(parent, title, directory, file_filter, save=False)


def save_file_path(parent: QWidget | None, title: str, suggested: str, file_filter: str = "") -> str:
    """The path the user chose to save to (asked before replacing a file), "" when cancelled."""
    return _ask(parent, title, suggested, file_filter, save=True)
