"""The approve dialog's fields stay where they are when its refusal appears (QA walk 2 #43: the
fields moved up a line under the pointer, so a click meant for the approver's name landed in the
role field and the typing went there)."""

from __future__ import annotations


def test_the_refusal_does_not_move_the_fields(app_zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    from pia_app.ui.dialogs import ApproveDialog

    dialog = ApproveDialog("李静", ["差距 E-03（S2）：原始样本保存超过 24 小时"] * 3)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = (dialog.name.y(), dialog.role.y(), dialog.findings_view.height())
    dialog._accept()  # no role: refused, in red
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    dialog.layout().activate()
    assert (dialog.name.y(), dialog.role.y(), dialog.findings_view.height()) == before
    dialog.role.setText("个人信息保护负责人")  # the refusal goes, nothing moves back either
    dialog.layout().activate()
    assert not dialog.message.isVisible()
    assert (dialog.name.y(), dialog.role.y(), dialog.findings_view.height()) == before
