# ruff: noqa: E501  (the report text below is data: one line per phrase reads best)
"""One-off tool that drew the first docxtpl report templates templates/report_zh.docx and
report_en.docx.

The committed .docx templates are the source of truth: they are what an organisation opens in
Word to add its logo, styles and wording, keeping the Jinja tags. Nothing in the export path
runs this script, and it refuses to overwrite an existing template unless told `--force` (which
throws away every edit made in Word since). Change the templates in Word (or LibreOffice); the
keys the tags may use are the context contract of pia_app/report/context/__init__.py, and
tests/unit/test_report_templates.py checks both directions (every tag has a key, every key a
tag). The phrases below are the templates' first wording, nothing else reads them.

Outline (GB/T 39335 5.7, PIPL art. 56, FR Measures art. 9; shared reference section R):
cover and approval page, table of contents, 1 scope/team/references, 2 object and data map
(tables C-1/C-2), 3 compliance analysis by theme, 4 risk analysis (criteria D.1-D.5, items,
heat map), 5 treatment plan, 6 conclusion (PIPL 56 and FR 9 item by item, retention, review),
7 re-review and revision history, 8 appendix (every answer).

Typography after common Chinese official-document practice: body 宋体 (SimSun) 小四 (12 pt),
tables 五号 (10.5 pt) and 小五 (9 pt), headings 黑体 (SimHei) 三号/四号/小四, title 二号 (22 pt);
the East Asian font is always set explicitly (w:eastAsia) and theme fonts are removed, so Word
and WPS do not fall back; Latin text is in Times New Roman (headings Arial) in both templates, and
the English one keeps SimSun as the East Asian font for Chinese answers. Tables repeat their header row (w:tblHeader) and rows
do not split across pages (w:cantSplit).

Table of contents: written out here, one hyperlinked entry per level-1/level-2 heading with a
PAGEREF field to a bookmark on the heading. LibreOffice computes PAGEREF at layout, and Word
updates every field on open (w:updateFields in settings.xml), so both print the real page
numbers. (A Word TOC field was tried first: LibreOffice keeps its cached result and would print
the placeholder page numbers.) The level-1 and level-2 headings are static in the template
(every part is always present and says "not applicable" when it is), which is what makes a
written-out TOC possible.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]

# Sizes of Chinese type (字号) in points.
ERHAO, SANHAO, SIHAO, XIAOSI, WUHAO, XIAOWU = 22, 16, 14, 12, 10.5, 9

THEMES = (
    (
        "lawfulness",
        "处理目的、方式的合法性、正当性和必要性",
        "Lawfulness, legitimacy and necessity",
    ),
    ("minimisation", "最小必要与最小存储", "Minimum collection and minimum storage"),
    (
        "notice_consent",
        "告知与单独同意（含未成年人）",
        "Notice and separate consent (including minors)",
    ),
    (
        "sharing",
        "委托处理、对外提供、公开与出境",
        "Entrustment, provision, disclosure and cross-border transfer",
    ),
    ("face_recognition", "人脸识别专项要求", "Face recognition requirements"),
    (
        "deep_synthesis",
        "深度合成与生成合成内容标识",
        "Deep synthesis and labelling of generated content",
    ),
    ("rights", "个人权利响应", "Data-subject rights"),
    ("security", "安全保护措施", "Security measures"),
    ("other", "评估程序及其他", "Assessment procedure and other findings"),
)
"""Sub-parts of the compliance analysis, in order; codes match context.THEME_ORDER."""

ZH_NUM = "一二三四五六七八九十"
RED = RGBColor(0xC0, 0x00, 0x00)


@dataclass(frozen=True)
class Lang:
    code: str
    body: str
    east_asia: str
    heading: str
    heading_east_asia: str
    t: dict[str, str]

    def h1(self, n: int, text: str) -> str:
        return f"{ZH_NUM[n - 1]}、{text}" if self.code == "zh" else f"{n}. {text}"

    def h2(self, n: int, m: int, text: str) -> str:
        return f"（{ZH_NUM[m - 1]}）{text}" if self.code == "zh" else f"{n}.{m} {text}"


ZH = {
    "cover_title": "个人信息保护影响评估报告",
    "cover_object": "评估对象",
    "cover_controller": "个人信息处理者",
    "cover_type": "评估类型",
    "cover_date": "报告日期",
    "cover_version": "报告版本",
    "cover_version_value": "修订版 {{ revision }}",
    "cover_status": "状态",
    "cover_assessors": "评估人员",
    "cover_signer": "报告签署人",
    "cover_form": "评估问卷",
    "approval": "审批页",
    "approval_intro": "本报告经个人信息保护负责人（专员）审批。审批人在下表签字确认。",
    "col_name": "姓名",
    "col_role": "职务/角色",
    "col_date": "审批日期",
    "col_opinion": "审批意见",
    "col_question": "问题",
    "col_field": "项目",
    "col_value": "内容",
    "col_answer_full": "回答",
    "col_sign": "签字",
    "signer_line": "报告签署人：{{ cover.signer }}　　　签字：________________　　　日期：____________",
    "hash_title": "内容校验值（SHA-256）",
    "hash_note": "上列校验值按修订版 {{ revision }} 的全部回答计算。运行 pia-app verify 可核对本报告与存档记录是否一致；内容有任何改动，校验值都会不同。",
    "toc": "目　录",
    "toc_note": "（如页码与正文不符，请在 Word 中右键目录选择“更新域”。）",
    "p1": "评估范围、团队与依据",
    "p1_1": "评估报告适用范围",
    "p1_2": "评估团队",
    "p1_3": "评估依据",
    "scope_object": "评估对象与范围",
    "scope_type": "评估类型",
    "scope_period": "评估期间",
    "scope_period_value": "{{ scope.start }} 至 {{ scope.end }}",
    "scope_processing": "处理活动（计划）开始日期",
    "scope_release": "报告发布策略",
    "team_intro": "评估由下列人员实施并撰写报告。",
    "col_dept": "部门",
    "col_team_role": "评估中的角色",
    "col_independent": "独立于被评估业务",
    "team_officer": "个人信息保护负责人：{{ team_officer }}",
    "refs_intro": "本次评估依据下列法律、行政法规、部门规章和标准：",
    "none": "无。",
    "p2": "评估对象与数据映射",
    "p2_1": "评估对象与适用性",
    "p2_2": "数据映射表（表C-1）",
    "p2_3": "个人信息生命周期表（表C-2）",
    "p2_4": "涉及的相关方",
    "obj_controller": "个人信息处理者：{{ cover.controller }}（联系方式：{{ cover.controller_contact }}）",
    "col_item": "事项",
    "col_answer": "情况",
    "triggers": "个人信息保护法第五十五条规定的应当事前进行个人信息保护影响评估的情形：{{ triggers_text }}",
    "no_activities": "未填写处理活动。",
    "c1_caption": "表C-1　数据映射表",
    "c2_caption": "表C-2　个人信息生命周期表",
    "parties_none": "未填写委托处理、境外接收方或第三方的情况。",
    "p3": "合规性分析",
    "p3_0": "差距汇总",
    "findings_intro": "依据第一部分所列依据，逐项对照问卷回答，共发现差距 {{ counts.total }} 项：严重（S1）{{ counts.S1 }} 项，高（S2）{{ counts.S2 }} 项，中（S3）{{ counts.S3 }} 项，低（S4）{{ counts.S4 }} 项。差距等级是本工具的判定方法（S1 为明显违反强制性规定，S4 为最佳实践改进），与第四部分的风险等级相互独立。",
    "findings_none": "未发现差距。",
    "col_no": "序号",
    "col_sev": "等级",
    "col_finding": "差距",
    "col_basis": "依据",
    "col_measure": "建议措施",
    "col_requirement": "评估事项",
    "col_state": "现状",
    "col_gap": "差距及等级",
    "col_requirement_basis": "评估事项（依据）",
    "basis_line": "依据：{{ r.refs }}",
    "theme_na": "本评估不涉及该主题：{{ th.note }}",
    "lawfulness_note": "评估组对处理目的、方式是否合法、正当、必要的结论：{{ concl.lawfulness }}。特定目的、充分必要性和替代方式的逐项分析见（三），告知与同意见（四）。",
    "p4": "风险分析",
    "p4_1": "风险判定准则",
    "p4_2": "风险识别与评价结果",
    "p4_3": "风险热力图",
    "crit_intro": "风险判定依据 GB/T 39335 附录 D：先分别判定个人权益影响程度（表D.1、D.2）和安全事件发生可能性（表D.3、D.4），再按风险矩阵（表D.5）确定风险等级。",
    "crit_impact": "表1　个人权益影响程度判定准则（GB/T 39335 表D.1）",
    "crit_likelihood": "表2　安全事件发生可能性判定准则（GB/T 39335 表D.3）",
    "crit_factors": "表3　可能性影响因素描述（GB/T 39335 表D.4）",
    "crit_matrix": "表4　风险矩阵（GB/T 39335 表D.5）",
    "crit_method": "影响维度：{{ risk.dimension_names }}。可能性因素：{{ risk.factor_names }}。每个风险项的可能性取四个因素中的最高等级，风险项的等级取四个影响维度中的最高风险，评估对象的总体风险取各风险项的最高等级（本工具的审慎做法）。",
    "col_level": "等级",
    "col_description": "说明",
    "col_impact_likelihood": "影响程度＼可能性",
    "acceptance": "本组织的风险接受准则：{{ risk.acceptance }}",
    "items_summary": "表5　风险评估结果汇总（表C-4）",
    "col_risk_id": "编号",
    "col_activity": "处理活动",
    "col_threat": "威胁事件",
    "col_impact": "影响程度",
    "col_likelihood": "可能性",
    "col_risk": "风险等级",
    "col_residual": "剩余风险",
    "no_risks": "未录入风险项。",
    "item_heading": "风险项 {{ it.id }}：{{ it.threat }}",
    "item_source": "风险源：{{ it.source }}；涉及的处理活动：{{ it.activity }}；受影响的个人：{{ it.subjects }}。",
    "col_dimension": "影响维度",
    "col_reason": "理由",
    "col_factor": "可能性因素",
    "item_adjust": "等级修正：{{ it.adjustments }}",
    "item_result": "结果：影响程度{{ it.impact }}，可能性{{ it.likelihood }}，风险等级{{ it.level }}，处置后剩余风险{{ it.residual }}。",
    "item_problem": "评级提示：{{ pr }}",
    "heatmap_caption": "图2　风险热力图（实心标记为固有风险，空心标记为处置后的剩余风险）",
    "overall": "评估对象的总体风险等级：{{ risk.overall }}；处置后的总体剩余风险：{{ risk.overall_residual }}。",
    "p5": "风险处置计划",
    "treat_intro": "针对第三、四部分的差距和风险，制定下列处置措施。处置方式分为立即处置、限期处置、权衡影响和成本后处置和接受。",
    "col_ref": "针对",
    "col_option": "处置方式",
    "col_owner": "责任人",
    "col_deadline": "期限",
    "col_status": "状态",
    "no_treatments": "未填写风险处置计划。",
    "p6": "评估结论",
    "p6_1": "个人信息保护法第五十六条规定的评估内容",
    "p6_2": "人脸识别技术应用安全管理办法第九条规定的评估内容",
    "p6_3": "总体结论",
    "p6_4": "记录保存与复评安排",
    "col_content": "评估内容",
    "col_conclusion": "结论",
    "pipl56_1": "（一）个人信息的处理目的、处理方式等是否合法、正当、必要",
    "pipl56_2": "（二）对个人权益的影响及安全风险",
    "pipl56_3": "（三）所采取的保护措施是否合法、有效并与风险程度相适应",
    "fr9_1": "（一）处理目的、方式是否合法、正当、必要",
    "fr9_2": "（二）对个人权益的影响，及降低不利影响的措施是否有效",
    "fr9_3": "（三）人脸信息泄露、篡改、丢失、毁损或者被非法获取、出售、使用的风险及可能造成的危害",
    "fr9_4": "（四）所采取的保护措施是否合法、有效并与风险程度相适应",
    "fr9_na": "本评估不涉及人脸识别技术的应用（{{ concl.fr_note }}），该办法第九条不适用。",
    "decision": "评估结论：{{ concl.decision }}",
    "decision_basis": "依据：差距 {{ counts.total }} 项（其中严重 {{ counts.S1 }} 项）；总体风险等级{{ risk.overall }}，处置后剩余风险{{ risk.overall_residual }}。",
    "blockers": "注意：以下情形存在时，不应得出“可以开展”的结论：",
    "retention": "报告和处理情况记录保存至：{{ concl.retain_until }}。个人信息保护法第五十六条第二款要求报告和处理情况记录至少保存三年。",
    "records": "处理情况记录的位置：{{ concl.records }}",
    "next_review": "下次复评日期：{{ concl.next_review }}；复评触发条件：{{ concl.review_triggers }}。",
    "filing": "人脸信息存储数量达到 10 万人的备案期限：{{ concl.filing_due }}。{{ concl.filing_note }}",
    "p7": "复评情况与修订记录",
    "p7_1": "与上一批准修订版相比的变化",
    "p7_2": "修订记录",
    "changes_intro": "本次为复评（修订版 {{ revision }}，基于修订版 {{ review.based_on }}）。复评原因：{{ review.reason }}",
    "changes_first": "本报告为首次评估，没有此前批准的修订版，无变化记录。",
    "changes_none": "与上一批准修订版相比，回答、差距和风险等级均无变化。",
    "col_change_kind": "类别",
    "col_change_item": "项目",
    "col_before": "修订前",
    "col_after": "修订后",
    "col_revision": "修订版",
    "col_rev_date": "日期",
    "col_approver": "批准人",
    "col_rev_reason": "原因/说明",
    "history_none": "尚无修订记录。",
    "p8": "附录：问卷回答全文",
    "appendix_intro": "下列为修订版 {{ revision }} 的全部适用问题及回答（不适用而未显示的问题不列出）。",
    "summary": "管理层摘要",
    "sum_scope": "评估对象",
    "sum_risk": "总体风险",
    "sum_risk_value": "固有风险{{ summary.overall }}；处置后剩余风险{{ summary.overall_residual }}",
    "sum_gaps": "差距",
    "sum_gaps_value": "共 {{ summary.counts.total }} 项：严重（S1）{{ summary.counts.S1 }}，高（S2）{{ summary.counts.S2 }}，中（S3）{{ summary.counts.S3 }}，低（S4）{{ summary.counts.S4 }}",
    "sum_untreated": "尚无处置措施的 S1/S2 差距和高、严重风险：{{ summary.untreated }} 项（见第五部分，红色标出）",
    "sum_decision": "评估结论",
    "sum_conditions": "结论的前提（在下列情形消除之前，不能开展处理活动）：",
    "sum_more": "另有 {{ summary.more_conditions }} 项，见第六部分。",
    "sum_deadlines": "期限",
    "sum_before_start": "处理活动开始（{{ summary.start }}）前须完成的措施：",
    "sum_before_more": "另有 {{ summary.more_before_start }} 项，见第五部分。",
    "sum_before_none": "处理活动开始前须完成的措施：无。",
    "sum_filing": "人脸信息备案期限：{{ summary.filing_due }}",
    "sum_review": "下次复评：{{ summary.next_review }}；报告和记录保存至：{{ summary.retain_until }}",
    "before_start": "处理活动开始（{{ treat.start }}）前须完成的措施：",
    "before_start_none": "没有须在处理活动开始前完成而尚未完成的措施。",
    "header": "{{ doc.number }}　密级：{{ doc.classification }}　{{ doc.version }}　分发：{{ doc.distribution }}",
    "dataflow_caption": "图1　个人信息数据流图（依据数据映射表C-1、C-2绘制）",
    "free_text": "说明：自由填写的回答按填写时的原文照录，未经翻译或改写。",
    "footer_rev": "修订版 ",
    "footer_page": "第 ",
    "footer_of": " 页 共 ",
    "footer_end": " 页",
}

EN = {
    "cover_title": "Personal Information Protection Impact Assessment Report",
    "cover_object": "Object of assessment",
    "cover_controller": "Personal information handler",
    "cover_type": "Assessment type",
    "cover_date": "Report date",
    "cover_version": "Report version",
    "cover_version_value": "Revision {{ revision }}",
    "cover_status": "Status",
    "cover_assessors": "Assessors",
    "cover_signer": "Report signatory",
    "cover_form": "Questionnaire",
    "approval": "Approval",
    "approval_intro": "This report is approved by the personal information protection officer. The approvers sign below.",
    "col_name": "Name",
    "col_role": "Position / role",
    "col_date": "Date of approval",
    "col_opinion": "Opinion",
    "col_question": "Question",
    "col_field": "Field",
    "col_value": "Value",
    "col_answer_full": "Answer",
    "col_sign": "Signature",
    "signer_line": "Report signatory: {{ cover.signer }}      Signature: ________________      Date: ____________",
    "hash_title": "Content checksum (SHA-256)",
    "hash_note": "The checksum above is computed from every answer of revision {{ revision }}. Run pia-app verify to check that this report matches the stored record; any change to the content gives a different checksum.",
    "toc": "Contents",
    "toc_note": "(If a page number is out of date, right-click the table in Word and choose Update Field.)",
    "p1": "Scope, team and references",
    "p1_1": "Scope of the report",
    "p1_2": "Assessment team",
    "p1_3": "Normative references",
    "scope_object": "Object and scope",
    "scope_type": "Assessment type",
    "scope_period": "Assessment period",
    "scope_period_value": "{{ scope.start }} to {{ scope.end }}",
    "scope_processing": "Processing (planned) start",
    "scope_release": "Release of the report",
    "team_intro": "The assessment was carried out and the report written by:",
    "col_dept": "Department",
    "col_team_role": "Role in the assessment",
    "col_independent": "Independent of the assessed business",
    "team_officer": "Personal information protection officer: {{ team_officer }}",
    "refs_intro": "The assessment relies on the following laws, regulations and standards:",
    "none": "None.",
    "p2": "Object of assessment and data map",
    "p2_1": "Object and applicability",
    "p2_2": "Data map (table C-1)",
    "p2_3": "Personal information lifecycle (table C-2)",
    "p2_4": "Parties involved",
    "obj_controller": "Personal information handler: {{ cover.controller }} (contact: {{ cover.controller_contact }})",
    "col_item": "Item",
    "col_answer": "Situation",
    "triggers": "Cases of PIPL art. 55 that require a prior impact assessment: {{ triggers_text }}",
    "no_activities": "No processing activity was entered.",
    "c1_caption": "Table C-1  Data map",
    "c2_caption": "Table C-2  Personal information lifecycle",
    "parties_none": "No entrusted party, overseas recipient or third party was entered.",
    "p3": "Compliance analysis",
    "p3_0": "Summary of gaps",
    "findings_intro": "Comparing the answers with the references of part 1, item by item, found {{ counts.total }} gaps: severe (S1) {{ counts.S1 }}, high (S2) {{ counts.S2 }}, medium (S3) {{ counts.S3 }}, low (S4) {{ counts.S4 }}. Gap severity is this tool's method (S1 a clear breach of a binding provision, S4 a best-practice improvement) and is separate from the risk levels of part 4.",
    "findings_none": "No gaps found.",
    "col_no": "No.",
    "col_sev": "Severity",
    "col_finding": "Gap",
    "col_basis": "Basis",
    "col_measure": "Recommended measure",
    "col_requirement": "Requirement",
    "col_state": "Current state",
    "col_gap": "Gap and severity",
    "col_requirement_basis": "Requirement (basis)",
    "basis_line": "Basis: {{ r.refs }}",
    "theme_na": "This theme does not apply to the assessment: {{ th.note }}",
    "lawfulness_note": "The assessors' conclusion on whether the purposes and means are lawful, legitimate and necessary: {{ concl.lawfulness }}. The specific purpose, necessity and alternatives are analysed item by item in 3.3, notice and consent in 3.4.",
    "p4": "Risk analysis",
    "p4_1": "Risk criteria",
    "p4_2": "Risk identification and evaluation",
    "p4_3": "Risk heat map",
    "crit_intro": "Risks are graded after GB/T 39335 appendix D: the impact on the individual's rights (tables D.1, D.2) and the likelihood of a security incident (tables D.3, D.4) are judged separately, and the risk matrix (table D.5) gives the risk level.",
    "crit_impact": "Table 1  Impact levels (GB/T 39335 table D.1)",
    "crit_likelihood": "Table 2  Likelihood levels (GB/T 39335 table D.3)",
    "crit_factors": "Table 3  Likelihood factors (GB/T 39335 table D.4)",
    "crit_matrix": "Table 4  Risk matrix (GB/T 39335 table D.5)",
    "crit_method": "Impact dimensions: {{ risk.dimension_names }}. Likelihood factors: {{ risk.factor_names }}. An item's likelihood is the highest of its four factors, its risk the highest over the four dimensions, and the overall risk of the object the highest item risk (a prudent choice of this tool).",
    "col_level": "Level",
    "col_description": "Description",
    "col_impact_likelihood": "Impact \\ likelihood",
    "acceptance": "The organisation's risk acceptance criteria: {{ risk.acceptance }}",
    "items_summary": "Table 5  Summary of risk evaluation (table C-4)",
    "col_risk_id": "ID",
    "col_activity": "Activity",
    "col_threat": "Threat event",
    "col_impact": "Impact",
    "col_likelihood": "Likelihood",
    "col_risk": "Risk",
    "col_residual": "Residual",
    "no_risks": "No risk items were entered.",
    "item_heading": "Risk item {{ it.id }}: {{ it.threat }}",
    "item_source": "Risk source: {{ it.source }}; processing activity: {{ it.activity }}; individuals affected: {{ it.subjects }}.",
    "col_dimension": "Impact dimension",
    "col_reason": "Reason",
    "col_factor": "Likelihood factor",
    "item_adjust": "Adjustments: {{ it.adjustments }}",
    "item_result": "Result: impact {{ it.impact }}, likelihood {{ it.likelihood }}, risk {{ it.level }}, residual risk after treatment {{ it.residual }}.",
    "item_problem": "Rating note: {{ pr }}",
    "heatmap_caption": "Figure 2  Risk heat map (solid markers: inherent risk; hollow markers: residual risk after treatment)",
    "overall": "Overall risk of the object: {{ risk.overall }}; overall residual risk after treatment: {{ risk.overall_residual }}.",
    "p5": "Risk treatment plan",
    "treat_intro": "The following measures treat the gaps and risks of parts 3 and 4. Treatment options: treat now, treat by a deadline, treat after weighing impact and cost, or accept.",
    "col_ref": "Addresses",
    "col_option": "Option",
    "col_owner": "Owner",
    "col_deadline": "Deadline",
    "col_status": "Status",
    "no_treatments": "No treatment plan was entered.",
    "p6": "Conclusion",
    "p6_1": "The contents required by PIPL art. 56",
    "p6_2": "The contents required by art. 9 of the Face Recognition Measures",
    "p6_3": "Overall conclusion",
    "p6_4": "Retention of records and re-review",
    "col_content": "Content",
    "col_conclusion": "Conclusion",
    "pipl56_1": "(1) Whether the purposes and means of processing are lawful, legitimate and necessary",
    "pipl56_2": "(2) The impact on individuals' rights and interests, and the security risks",
    "pipl56_3": "(3) Whether the protection measures are lawful, effective and proportionate to the risk",
    "fr9_1": "(1) Whether the purposes and means of processing are lawful, legitimate and necessary",
    "fr9_2": "(2) The impact on individuals' rights and interests, and whether the measures that reduce adverse effects are effective",
    "fr9_3": "(3) The risk of face information being leaked, altered, lost, destroyed or illegally obtained, sold or used, and the possible harm",
    "fr9_4": "(4) Whether the protection measures are lawful, effective and proportionate to the risk",
    "fr9_na": "The assessment does not involve the application of face recognition ({{ concl.fr_note }}); art. 9 of the Measures does not apply.",
    "decision": "Conclusion: {{ concl.decision }}",
    "decision_basis": "Basis: {{ counts.total }} gaps ({{ counts.S1 }} severe); overall risk {{ risk.overall }}, residual risk after treatment {{ risk.overall_residual }}.",
    "blockers": "Note: while the following remain, the conclusion may not be \u201cmay proceed\u201d:",
    "retention": "The report and the processing records are kept until: {{ concl.retain_until }}. PIPL art. 56(2) requires them to be kept for at least three years.",
    "records": "Where the processing records are kept: {{ concl.records }}",
    "next_review": "Next review: {{ concl.next_review }}; triggers for a re-review: {{ concl.review_triggers }}.",
    "filing": "Filing deadline for storing face data of 100,000 persons: {{ concl.filing_due }}. {{ concl.filing_note }}",
    "p7": "Re-review and revision history",
    "p7_1": "Changes since the last approved revision",
    "p7_2": "Revision history",
    "changes_intro": "This is a re-review (revision {{ revision }}, based on revision {{ review.based_on }}). Reason: {{ review.reason }}",
    "changes_first": "This is the first assessment: there is no earlier approved revision to compare with.",
    "changes_none": "Answers, gaps and risk levels are unchanged since the last approved revision.",
    "col_change_kind": "Kind",
    "col_change_item": "Item",
    "col_before": "Before",
    "col_after": "After",
    "col_revision": "Revision",
    "col_rev_date": "Date",
    "col_approver": "Approved by",
    "col_rev_reason": "Reason / note",
    "history_none": "No revision history yet.",
    "p8": "Appendix: all answers",
    "appendix_intro": "Every question that applies in revision {{ revision }}, with its answer (questions that did not apply are not listed).",
    "summary": "Management summary",
    "sum_scope": "Object",
    "sum_risk": "Overall risk",
    "sum_risk_value": "Inherent {{ summary.overall }}; residual after treatment {{ summary.overall_residual }}",
    "sum_gaps": "Gaps",
    "sum_gaps_value": "{{ summary.counts.total }} in all: severe (S1) {{ summary.counts.S1 }}, high (S2) {{ summary.counts.S2 }}, medium (S3) {{ summary.counts.S3 }}, low (S4) {{ summary.counts.S4 }}",
    "sum_untreated": "S1/S2 gaps and high or severe risks without a measure: {{ summary.untreated }} (marked red in part 5)",
    "sum_decision": "Conclusion",
    "sum_conditions": "Conditions (the processing may not start while these remain):",
    "sum_more": "{{ summary.more_conditions }} more in part 6.",
    "sum_deadlines": "Deadlines",
    "sum_before_start": "Measures due before the processing starts ({{ summary.start }}):",
    "sum_before_more": "{{ summary.more_before_start }} more in part 5.",
    "sum_before_none": "Measures due before the processing starts: none.",
    "sum_filing": "Filing of face data: due {{ summary.filing_due }}",
    "sum_review": "Next review: {{ summary.next_review }}; report and records kept until: {{ summary.retain_until }}",
    "before_start": "Measures due before the processing starts ({{ treat.start }}):",
    "before_start_none": "No measure that is due before the processing starts is still open.",
    "header": "{{ doc.number }}   Classification: {{ doc.classification }}   {{ doc.version }}   Distribution: {{ doc.distribution }}",
    "dataflow_caption": "Figure 1  Data flow of personal information (drawn from tables C-1 and C-2)",
    "free_text": "Note: free-text answers are reproduced as written, in the language in which they were written; they are not translated.",
    "footer_rev": "revision ",
    "footer_page": "Page ",
    "footer_of": " of ",
    "footer_end": "",
}

LANGS = {
    "zh": Lang("zh", "Times New Roman", "SimSun", "Arial", "SimHei", ZH),
    "en": Lang("en", "Times New Roman", "SimSun", "Arial", "SimHei", EN),
}

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


# --- low-level helpers ------------------------------------------------------------------------


def _rfonts(rpr: Any, latin: str, east_asia: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def set_fonts(style_or_run: Any, latin: str, east_asia: str) -> None:
    style_or_run.font.name = latin
    _rfonts(style_or_run.element.get_or_add_rPr(), latin, east_asia)


def _strip_theme_colour(style: Any) -> None:
    for el in style.element.iter(qn("w:color")):
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            if el.get(qn(attr)) is not None:
                del el.attrib[qn(attr)]


def _el(tag: str, **attrs: str) -> Any:
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k), v)
    return el


def field(paragraph: Any, instr: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES, PAGEREF) with a cached result that Word and LO update."""
    p = paragraph._p
    r1 = _el("w:r")
    r1.append(_el("w:fldChar", **{"w:fldCharType": "begin"}))
    r2 = _el("w:r")
    it = _el("w:instrText", **{"xml:space": "preserve"})
    it.text = f" {instr} "
    r2.append(it)
    r3 = _el("w:r")
    r3.append(_el("w:fldChar", **{"w:fldCharType": "separate"}))
    r4 = _el("w:r")
    t = _el("w:t")
    t.text = placeholder
    r4.append(t)
    r5 = _el("w:r")
    r5.append(_el("w:fldChar", **{"w:fldCharType": "end"}))
    for r in (r1, r2, r3, r4, r5):
        p.append(r)


def row_props(row: Any, header: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(_el("w:cantSplit", **{"w:val": "true"}))
    if header:
        trpr.append(_el("w:tblHeader", **{"w:val": "true"}))


def shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(_el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}))


def cell_text(cell: Any, text: str, bold: bool = False, size: float | None = None, align: Any = None) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if align is not None:
        p.alignment = align


# --- the document builder ---------------------------------------------------------------------


class Builder:
    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.t = lang.t
        self.doc = Document()
        self.toc: list[tuple[int, str, str]] = []
        self._bookmark = 0
        self._setup()

    # styles, page, settings
    def _setup(self) -> None:
        lg, doc = self.lang, self.doc
        sec = doc.sections[0]
        sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
        sec.top_margin, sec.bottom_margin = Cm(3.0), Cm(2.8)
        sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
        sec.footer_distance = Cm(1.5)

        defaults = doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _rfonts(rpr, lg.body, lg.east_asia)
        lang_el = rpr.find(qn("w:lang"))
        if lang_el is not None:
            # Latin text breaks by Latin rules also in the Chinese report (docs/report.md).
            lang_el.set(qn("w:val"), "en-US" if lg.code == "zh" else "en-GB")
            lang_el.set(qn("w:eastAsia"), "zh-CN")
        ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        sp = ppr.find(qn("w:spacing"))
        sp.set(qn("w:after"), "0")
        sp.set(qn("w:line"), "300")

        normal = doc.styles["Normal"]
        set_fonts(normal, lg.body, lg.east_asia)
        normal.font.size = Pt(XIAOSI)
        normal.paragraph_format.space_after = Pt(4)
        normal.paragraph_format.line_spacing = 1.25
        if lg.code == "zh":
            normal.paragraph_format.first_line_indent = None
        for name, size, before, after in (
            ("Title", ERHAO, 0, 12),
            ("Heading 1", SANHAO, 18, 10),
            ("Heading 2", SIHAO, 12, 6),
            ("Heading 3", XIAOSI, 10, 4),
        ):
            st = doc.styles[name]
            set_fonts(st, lg.heading, lg.heading_east_asia)
            st.font.size = Pt(size)
            st.font.bold = name in ("Heading 1", "Heading 2", "Heading 3", "Title")
            st.font.italic = False
            st.font.color.rgb = RGBColor(0, 0, 0)
            _strip_theme_colour(st)
            pf = st.paragraph_format
            pf.space_before, pf.space_after = Pt(before), Pt(after)
            pf.keep_with_next = True
            pf.line_spacing = 1.15
            # No underline border on the Title style of python-docx's default template.
            ppr_el = st.element.get_or_add_pPr()
            for b in ppr_el.findall(qn("w:pBdr")):
                ppr_el.remove(b)
        doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

        for name, size in (("Table Grid", WUHAO), ("Caption", WUHAO)):
            st = doc.styles[name]
            set_fonts(st, lg.body, lg.east_asia)
            st.font.size = Pt(size)
        cap = doc.styles["Caption"]
        cap.font.bold = True
        cap.font.color.rgb = RGBColor(0, 0, 0)
        _strip_theme_colour(cap)
        cap.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.paragraph_format.keep_with_next = True
        cap.paragraph_format.space_before = Pt(6)

        cell = doc.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        cell.font.size = Pt(WUHAO)
        cell.paragraph_format.line_spacing = 1.0
        cell.paragraph_format.space_after = Pt(0)
        cell.paragraph_format.first_line_indent = None
        spacer = doc.styles.add_style("Spacer", WD_STYLE_TYPE.PARAGRAPH)
        spacer.base_style = normal
        spacer.font.size = Pt(6)
        spacer.paragraph_format.line_spacing = 1.0
        spacer.paragraph_format.space_after = Pt(0)
        small = doc.styles.add_style("Small Text", WD_STYLE_TYPE.PARAGRAPH)
        small.base_style = normal
        small.font.size = Pt(XIAOWU)
        for level in (1, 2):
            st = doc.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            st.base_style = normal
            st.font.size = Pt(XIAOSI)
            pf = st.paragraph_format
            pf.left_indent = Cm(0 if level == 1 else 0.85)
            pf.space_after = Pt(0)
            pf.line_spacing = Pt(16)
            pf.tab_stops.add_tab_stop(Cm(15.5), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            if level == 1:
                st.font.bold = True

        settings = doc.settings.element
        settings.append(_el("w:updateFields", **{"w:val": "true"}))
        # Theme fonts for East Asian text are those of Simplified Chinese (python-docx's default
        # template says Japanese), and the document's language is Chinese or English.
        for el in settings.findall(qn("w:themeFontLang")):
            el.set(qn("w:val"), "zh-CN" if lg.code == "zh" else "en-GB")
            el.set(qn("w:eastAsia"), "zh-CN")

    # text blocks
    def para(
        self,
        text: str = "",
        style: str | None = None,
        bold: bool = False,
        align: Any = None,
        size: float | None = None,
        keep: bool = False,
        color: RGBColor | None = None,
    ) -> Any:
        p = self.doc.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)
            if color is not None:
                run.font.color.rgb = color
        if align is not None:
            p.alignment = align
        if keep:
            p.paragraph_format.keep_with_next = True
        return p

    def tag(self, text: str) -> None:
        """A paragraph holding only a docxtpl {%p ... %} tag (removed on rendering)."""
        self.doc.add_paragraph(text)

    def heading(self, text: str, level: int) -> Any:
        p = self.doc.add_heading(level=level)
        p.add_run(text)
        if level <= 2:
            self._bookmark += 1
            name = f"_Toc_pia_{self._bookmark:03d}"
            start = _el("w:bookmarkStart", **{"w:id": str(self._bookmark), "w:name": name})
            end = _el("w:bookmarkEnd", **{"w:id": str(self._bookmark)})
            p._p.insert(1 if p._p.pPr is not None else 0, start)
            p._p.append(end)
            self.toc.append((level, text, name))
        return p

    def caption(self, text: str) -> None:
        self.para(text, style="Caption")

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # tables
    def table(
        self,
        headers: list[str],
        cells: list[str | tuple[str, str]],
        widths: list[float],
        loop: str,
        shade_cells: dict[int, str] | None = None,
        font_size: float = WUHAO,
        together: bool = False,
    ) -> Any:
        """A table with a repeated header row and one templated row per item of `loop`.

        Pagination: the header keeps with the first row, the first row with the second and the
        second-to-last row with the last, so no page holds only a header, a lone first row or
        a lone last row (docxtpl chooses between two row templates with loop.first /
        loop.revindex). `together` keeps every row with the next: a short criteria table stays
        on one page. A cell given as (text, sub) has `sub` as a second, smaller paragraph (the
        basis of a requirement, under it rather than in a narrow column of its own)."""
        tbl = self.doc.add_table(rows=8, cols=len(headers), style="Table Grid")
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl.autofit = False
        for i, h in enumerate(headers):
            cell_text(tbl.rows[0].cells[i], h, bold=True, size=font_size)
            shade(tbl.rows[0].cells[i], "D9D9D9")
        row_props(tbl.rows[0], header=True)
        cell_text(tbl.rows[1].cells[0], "{%tr for " + loop + " %}")
        keep_if = "True" if together else "loop.first or loop.revindex == 2"
        cell_text(tbl.rows[2].cells[0], "{%tr if " + keep_if + " %}")
        cell_text(tbl.rows[4].cells[0], "{%tr else %}")
        cell_text(tbl.rows[6].cells[0], "{%tr endif %}")
        cell_text(tbl.rows[7].cells[0], "{%tr endfor %}")
        for r in (3, 5):
            for i, c in enumerate(cells):
                cell = tbl.rows[r].cells[i]
                text, sub = c if isinstance(c, tuple) else (c, "")
                if shade_cells and i in shade_cells:
                    text = "{% cellbg " + shade_cells[i] + " %}" + text
                cell_text(cell, text, size=font_size)
                if sub:
                    extra = cell.add_paragraph()
                    run = extra.add_run(sub)
                    run.font.size = Pt(XIAOWU)
                    run.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
            row_props(tbl.rows[r])
        self._widths(tbl, widths)
        self._keep(tbl.rows[0])
        self._keep(tbl.rows[3])
        self.spacer()
        return tbl

    @staticmethod
    def _keep(row: Any) -> None:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True

    def kv_table(
        self,
        rows: list[tuple[str, str]],
        widths: tuple[float, float] = (4.2, 11.3),
        label_fill: str = "F2F2F2",
        size: float | None = None,
    ) -> Any:
        tbl = self.doc.add_table(rows=len(rows), cols=2, style="Table Grid")
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl.autofit = False
        for i, (label, value) in enumerate(rows):
            cell_text(tbl.rows[i].cells[0], label, bold=True, size=size)
            shade(tbl.rows[i].cells[0], label_fill)
            cell_text(tbl.rows[i].cells[1], value, size=size)
            row_props(tbl.rows[i])
        self._widths(tbl, list(widths))
        self.spacer()
        return tbl

    def static_table(
        self,
        headers: list[str],
        rows: list[list[str]],
        widths: list[float],
        fills: list[list[str | None]] | None = None,
    ) -> Any:
        tbl = self.doc.add_table(rows=1 + len(rows), cols=len(headers), style="Table Grid")
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl.autofit = False
        for i, h in enumerate(headers):
            cell_text(tbl.rows[0].cells[i], h, bold=True)
            shade(tbl.rows[0].cells[i], "D9D9D9")
        row_props(tbl.rows[0], header=True)
        for r, values in enumerate(rows, start=1):
            for c, v in enumerate(values):
                cell_text(tbl.rows[r].cells[c], v)
                fill = fills[r - 1][c] if fills else None
                if fill:
                    shade(tbl.rows[r].cells[c], fill)
            row_props(tbl.rows[r])
        self._widths(tbl, widths)
        return tbl

    def landscape(self, on: bool) -> None:
        """Start a new section (on a new page), landscape for the wide data-map tables.

        The footer is linked to the previous section and the page numbers run on."""
        sec = self.doc.add_section(WD_SECTION.NEW_PAGE)
        long, short = Cm(29.7), Cm(21.0)
        sec.orientation = WD_ORIENT.LANDSCAPE if on else WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = (long, short) if on else (short, long)
        if on:
            sec.top_margin, sec.bottom_margin = Cm(2.6), Cm(2.4)
            sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
        else:
            sec.top_margin, sec.bottom_margin = Cm(3.0), Cm(2.8)
            sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)

    def spacer(self) -> None:
        """A small empty paragraph, so text after a table does not touch it."""
        self.doc.add_paragraph(style="Spacer")

    @staticmethod
    def _widths(tbl: Any, widths: list[float]) -> None:
        grid = tbl._tbl.tblGrid
        for i, col in enumerate(grid.findall(qn("w:gridCol"))):
            col.set(qn("w:w"), str(int(widths[i] * 567)))
        for row in tbl.rows:
            for i, w in enumerate(widths):
                row.cells[i].width = Cm(w)
        # Cell text in the compact table style.
        for row in tbl.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.style = "Table Text"

    # the table of contents
    def toc_placeholder(self) -> Any:
        return self.doc.add_paragraph()

    def fill_toc(self, anchor: Any) -> None:
        """Replace `anchor` with the written-out table of contents (see the module docstring)."""
        body = anchor._p.getparent()
        index = body.index(anchor._p)
        paragraphs = []
        for level, text, bookmark in self.toc:
            p = self.doc.add_paragraph(style=f"toc {level}")
            link = _el("w:hyperlink", **{"w:anchor": bookmark, "w:history": "1"})
            r = _el("w:r")
            t = _el("w:t", **{"xml:space": "preserve"})
            t.text = text
            r.append(t)
            link.append(r)
            r = _el("w:r")
            r.append(_el("w:tab"))
            link.append(r)
            p._p.append(link)
            field(p, f"PAGEREF {bookmark} \\h", "1")
            # Move the PAGEREF runs inside the hyperlink too (as Word writes it).
            for run in p._p.findall(qn("w:r"))[-5:]:
                link.append(run)
            paragraphs.append(p._p)
        for offset, p in enumerate(paragraphs):
            body.insert(index + offset, p)
        body.remove(anchor._p)

    # footer
    def footer(self) -> None:
        t = self.t
        sec = self.doc.sections[0]
        p = sec.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.style = self.doc.styles["Small Text"]
        p.add_run("{{ short_title }} · " + t["footer_rev"] + "{{ revision }} · " + t["footer_page"])
        field(p, "PAGE")
        p.add_run(t["footer_of"])
        field(p, "NUMPAGES")
        if t["footer_end"]:
            p.add_run(t["footer_end"])
        # Document control and the draft marking, in the header of every page.
        h = sec.header.paragraphs[0]
        h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        h.style = self.doc.styles["Small Text"]
        h.add_run(t["header"])
        m = sec.header.add_paragraph(style=self.doc.styles["Small Text"])
        m.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = m.add_run("{{ mark }}")
        run.bold = True
        run.font.color.rgb = RED
        sec.header_distance = Cm(1.3)

    def save(self, path: Path) -> None:
        # Keep every space of every text run (Word drops leading/trailing spaces otherwise).
        for t in self.doc.element.body.iter(qn("w:t")):
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        self.doc.core_properties.title = ""
        self.doc.core_properties.author = "pia-app"
        self.doc.core_properties.comments = ""
        self.doc.save(str(path))


# --- the report -------------------------------------------------------------------------------


def build(lang_code: str) -> Path:
    lg = LANGS[lang_code]
    t = lg.t
    b = Builder(lg)
    zh = lang_code == "zh"
    center = WD_ALIGN_PARAGRAPH.CENTER

    # 1. Cover
    for _ in range(3):
        b.para()
    b.para(t["cover_title"], style="Title")
    b.para("{{ title }}", align=center, size=SANHAO, bold=True)
    b.para("{{ mark }}", align=center, size=SIHAO, bold=True, color=RED)
    b.para()
    b.kv_table(
        [
            (t["cover_object"], "{{ cover.object }}"),
            (t["cover_controller"], "{{ cover.controller }}"),
            (t["cover_type"], "{{ cover.assessment_type }}"),
            (t["cover_date"], "{{ cover.report_date }}"),
            (t["cover_version"], t["cover_version_value"]),
            (t["cover_status"], "{{ cover.status }}"),
            (t["cover_assessors"], "{{ cover.assessors }}"),
            (t["cover_signer"], "{{ cover.signer }}"),
            (
                t["cover_form"],
                "{{ form_title }}（{{ form_version }}）" if zh else "{{ form_title }} ({{ form_version }})",
            ),
        ],
        size=XIAOSI,
    )
    b.page_break()

    # Management summary (one page)
    b.para(t["summary"], style="Title")
    b.para("{{ mark }}", align=center, bold=True, color=RED)
    b.kv_table(
        [
            (t["sum_scope"], "{{ summary.scope }}"),
            (t["sum_risk"], t["sum_risk_value"]),
            (t["sum_gaps"], t["sum_gaps_value"]),
            (t["sum_decision"], "{{ summary.decision }}"),
        ],
        widths=(3.2, 12.3),
    )
    b.para(t["sum_untreated"])
    b.tag("{%p if summary.conditions %}")
    b.para(t["sum_conditions"], bold=True, keep=True)
    b.tag("{%p for x in summary.conditions %}")
    b.para("{{ loop.index }}. {{ x }}", style="Small Text")
    b.tag("{%p endfor %}")
    b.tag("{%p if summary.more_conditions %}")
    b.para(t["sum_more"], style="Small Text")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")
    b.para(t["sum_deadlines"], bold=True, keep=True)
    b.tag("{%p if summary.before_start %}")
    b.para(t["sum_before_start"], keep=True)
    b.tag("{%p for m in summary.before_start %}")
    b.para(
        "{{ loop.index }}. {{ m.ref }}：{{ m.measure }}（{{ m.deadline }}）"
        if zh
        else "{{ loop.index }}. {{ m.ref }}: {{ m.measure }} ({{ m.deadline }})",
        style="Small Text",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p if summary.more_before_start %}")
    b.para(t["sum_before_more"], style="Small Text")
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.para(t["sum_before_none"])
    b.tag("{%p endif %}")
    b.tag("{%p if summary.filing_due %}")
    b.para(t["sum_filing"])
    b.tag("{%p endif %}")
    b.para(t["sum_review"])
    b.page_break()

    # Approval page
    b.para(t["approval"], style="Title")
    b.para(t["approval_intro"], keep=True)
    tbl = b.table(
        [t["col_name"], t["col_role"], t["col_opinion"], t["col_date"], t["col_sign"]],
        ["{{ a.name }}", "{{ a.role }}", "{{ a.opinion }}", "{{ a.date }}", ""],
        [2.3, 3.8, 2.6, 3.6, 3.2],
        "a in approval.rows",
    )
    trpr = tbl.rows[2]._tr.get_or_add_trPr()
    trpr.append(_el("w:trHeight", **{"w:val": str(int(1.3 * 567)), "w:hRule": "atLeast"}))
    b.para("{{ approval.note }}", style="Small Text")
    b.para(t["signer_line"])
    b.para()
    b.para(t["hash_title"], bold=True, keep=True)
    b.para("{{ content_hash }}", style="Small Text")
    b.para(t["hash_note"], style="Small Text")
    b.page_break()

    # Table of contents
    b.para(t["toc"], style="Title")
    toc_anchor = b.toc_placeholder()
    b.para(t["toc_note"], style="Small Text")
    b.page_break()

    # Part 1: scope, team, references
    b.heading(lg.h1(1, t["p1"]), 1)
    b.heading(lg.h2(1, 1, t["p1_1"]), 2)
    b.kv_table(
        [
            (t["scope_object"], "{{ scope.object }}"),
            (t["scope_type"], "{{ scope.assessment_type }}"),
            (t["scope_period"], t["scope_period_value"]),
            (t["scope_processing"], "{{ scope.processing_start }}"),
            (t["scope_release"], "{{ scope.release }}"),
        ]
    )
    b.heading(lg.h2(1, 2, t["p1_2"]), 2)
    b.para(t["team_intro"], keep=True)
    b.table(
        [t["col_name"], t["col_dept"], t["col_team_role"], t["col_independent"]],
        ["{{ m.name }}", "{{ m.dept }}", "{{ m.role }}", "{{ m.independent }}"],
        [3.2, 4.3, 4.5, 3.5],
        "m in team",
    )
    b.para(t["team_officer"])
    b.heading(lg.h2(1, 3, t["p1_3"]), 2)
    b.para(t["refs_intro"], keep=True)
    b.tag("{%p for r in references %}")
    b.para("{{ loop.index }}. {{ r }}")
    b.tag("{%p endfor %}")
    b.tag("{%p if not references %}")
    b.para(t["none"])
    b.tag("{%p endif %}")
    b.para(t["free_text"], style="Small Text")

    # Part 2: object and data map
    b.heading(lg.h1(2, t["p2"]), 1)
    b.heading(lg.h2(2, 1, t["p2_1"]), 2)
    b.para(t["obj_controller"], keep=True)
    b.table(
        [t["col_item"], t["col_answer"]],
        ["{{ o.label }}", "{{ o.answer }}"],
        [6.0, 9.5],
        "o in object_facts",
    )
    b.para(t["triggers"])
    b.landscape(True)
    b.heading(lg.h2(2, 2, t["p2_2"]), 2)
    b.tag("{%p if activities %}")
    b.caption(t["c1_caption"])
    c1 = [
        "act_id",
        "act_name",
        "data_items",
        "sensitive",
        "subjects",
        "purpose",
        "legal_basis",
        "controller_role",
    ]
    b.table(
        ["{{ c_cols." + c + " }}" for c in c1],
        ["{{ a." + c + " }}" for c in c1],
        [1.6, 3.3, 4.0, 2.3, 2.9, 4.0, 3.8, 2.4],
        "a in activities",
        font_size=XIAOWU,
    )
    b.tag("{%p else %}")
    b.para(t["no_activities"])
    b.tag("{%p endif %}")
    b.heading(lg.h2(2, 3, t["p2_3"]), 2)
    b.tag("{%p if activities %}")
    b.caption(t["c2_caption"])
    c2 = [
        "act_id",
        "lifecycle",
        "source_method",
        "storage_location",
        "transfer_protection",
        "retention",
        "deletion_method",
        "cross_border",
        "third_party",
    ]
    b.table(
        ["{{ c_cols." + c + " }}" for c in c2],
        ["{{ a." + c + " }}" for c in c2],
        [1.6, 2.4, 3.3, 2.6, 2.9, 3.2, 3.2, 2.3, 2.4],
        "a in activities",
        font_size=XIAOWU,
    )
    b.tag("{%p else %}")
    b.para(t["no_activities"])
    b.tag("{%p endif %}")
    b.tag("{%p if activities %}")
    b.para("{{ dataflow }}", align=center, keep=True)
    b.caption(t["dataflow_caption"])
    b.tag("{%p endif %}")
    b.landscape(False)
    b.heading(lg.h2(2, 4, t["p2_4"]), 2)
    b.tag("{%p for pt in parties %}")
    b.para("{{ pt.title }}", bold=True, keep=True)
    b.tag("{%p if pt.kind == 'table' %}")
    _answer_table(b)
    b.tag("{%p else %}")
    _records(b, "pt")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.tag("{%p if not parties %}")
    b.para(t["parties_none"])
    b.tag("{%p endif %}")

    # Part 3: compliance analysis
    b.heading(lg.h1(3, t["p3"]), 1)
    b.heading(lg.h2(3, 1, t["p3_0"]), 2)
    b.para(t["findings_intro"], keep=True)
    b.tag("{%p if findings %}")
    b.table(
        [t["col_no"], t["col_sev"], t["col_finding"], t["col_basis"], t["col_measure"]],
        [
            "{{ f.no }}",
            "{{ f.severity }} {{ f.severity_label }}",
            "{{ f.message }}",
            "{{ f.refs }}",
            "{{ f.measure }}",
        ],
        [1.4, 2.0, 4.1, 3.6, 4.4],
        "f in findings",
        shade_cells={1: "f.color"},
    )
    b.tag("{%p else %}")
    b.para(t["findings_none"])
    b.tag("{%p endif %}")
    for i, (code, zh_title, en_title) in enumerate(THEMES, start=2):
        b.heading(lg.h2(3, i, zh_title if zh else en_title), 2)
        if code == "lawfulness":
            b.para(t["lawfulness_note"])
        b.tag("{%p with th = themes." + code + " %}")
        b.tag("{%p if th.applicable %}")
        b.tag("{%p if th.rows %}")
        b.table(
            [t["col_requirement_basis"], t["col_state"], t["col_gap"], t["col_measure"]],
            [
                ("{{ r.requirement }}", t["basis_line"]),
                "{{ r.answer }}",
                "{{ r.finding }}",
                "{{ r.measure }}",
            ],
            [4.6, 4.1, 3.6, 3.2],
            "r in th.rows",
            shade_cells={2: "r.color"},
            font_size=XIAOWU,
        )
        if code != "lawfulness":  # its paragraph above already says what there is to say
            b.tag("{%p elif not th.extra %}")
            b.para(t["findings_none"])
        b.tag("{%p endif %}")
        b.tag("{%p if th.extra %}")
        b.table(
            [t["col_no"], t["col_sev"], t["col_finding"], t["col_basis"], t["col_measure"]],
            [
                "{{ f.no }}",
                "{{ f.severity }} {{ f.severity_label }}",
                "{{ f.message }}",
                "{{ f.refs }}",
                "{{ f.measure }}",
            ],
            [1.4, 2.0, 4.1, 3.6, 4.4],
            "f in th.extra",
            shade_cells={1: "f.color"},
        )
        b.tag("{%p endif %}")
        b.tag("{%p else %}")
        b.para(t["theme_na"])
        b.tag("{%p endif %}")
        b.tag("{%p endwith %}")

    # Part 4: risk analysis
    b.heading(lg.h1(4, t["p4"]), 1)
    b.heading(lg.h2(4, 1, t["p4_1"]), 2)
    b.para(t["crit_intro"])
    b.caption(t["crit_impact"])
    b.table(
        [t["col_level"], t["col_description"]],
        ["{{ l.label }}", "{{ l.description }}"],
        [2.0, 13.5],
        "l in risk.impact_levels",
        together=True,
    )
    b.caption(t["crit_likelihood"])
    b.table(
        [t["col_level"], t["col_description"]],
        ["{{ l.label }}", "{{ l.description }}"],
        [2.0, 13.5],
        "l in risk.likelihood_levels",
        together=True,
    )
    b.caption(t["crit_factors"])
    b.table(
        [
            t["col_level"],
            "{{ risk.factor_heads[0] }}",
            "{{ risk.factor_heads[1] }}",
            "{{ risk.factor_heads[2] }}",
            "{{ risk.factor_heads[3] }}",
        ],
        [
            "{{ l.label }}",
            "{{ l.cells[0] }}",
            "{{ l.cells[1] }}",
            "{{ l.cells[2] }}",
            "{{ l.cells[3] }}",
        ],
        [1.5, 3.5, 3.5, 3.5, 3.5],
        "l in risk.factor_rows",
        font_size=XIAOWU,
        together=True,
    )
    b.caption(t["crit_matrix"])
    b.table(
        [
            t["col_impact_likelihood"],
            "{{ risk.likelihood_heads[0] }}",
            "{{ risk.likelihood_heads[1] }}",
            "{{ risk.likelihood_heads[2] }}",
            "{{ risk.likelihood_heads[3] }}",
        ],
        [
            "{{ m.label }}",
            "{{ m.cells[0].label }}",
            "{{ m.cells[1].label }}",
            "{{ m.cells[2].label }}",
            "{{ m.cells[3].label }}",
        ],
        [3.5, 3.0, 3.0, 3.0, 3.0],
        "m in risk.matrix_rows",
        together=True,
        shade_cells={
            1: "m.cells[0].color",
            2: "m.cells[1].color",
            3: "m.cells[2].color",
            4: "m.cells[3].color",
        },
    )
    b.para(t["crit_method"])
    b.para(t["acceptance"])

    b.heading(lg.h2(4, 2, t["p4_2"]), 2)
    b.tag("{%p if risk.entries %}")
    b.caption(t["items_summary"])
    b.table(
        [
            t["col_risk_id"],
            t["col_activity"],
            t["col_threat"],
            t["col_impact"],
            t["col_likelihood"],
            t["col_risk"],
            t["col_residual"],
        ],
        [
            "{{ it.id }}",
            "{{ it.activity }}",
            "{{ it.threat }}",
            "{{ it.impact }}",
            "{{ it.likelihood }}",
            "{{ it.level }}",
            "{{ it.residual }}",
        ],
        [1.2, 2.5, 3.6, 2.4, 1.95, 1.9, 1.95],  # "高 → 严重" on one line
        "it in risk.entries",
        shade_cells={5: "it.level_color", 6: "it.residual_color"},
    )
    b.tag("{%p for it in risk.entries %}")
    b.heading(t["item_heading"], 3)
    b.para(t["item_source"], keep=True)
    b.table(
        [t["col_dimension"], t["col_impact"], t["col_reason"], t["col_risk"]],
        ["{{ d.name }}", "{{ d.impact }}", "{{ d.reason }}", "{{ d.risk }}"],
        [3.6, 2.3, 7.7, 1.9],
        "d in it.dims",
        shade_cells={3: "d.color"},
        together=True,
    )
    b.para()
    b.table(
        [t["col_factor"], t["col_likelihood"], t["col_reason"]],
        ["{{ f.name }}", "{{ f.level }}", "{{ f.reason }}"],
        [3.6, 2.3, 9.6],
        "f in it.factors",
        together=True,
    )
    b.para(t["item_adjust"])
    b.para(t["item_result"], bold=True)
    b.tag("{%p if it.acceptance %}")
    b.para("{{ it.acceptance }}")
    b.tag("{%p endif %}")
    b.tag("{%p for pr in it.problems %}")
    b.para(t["item_problem"], style="Small Text")
    b.tag("{%p endfor %}")
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.para(t["no_risks"])
    b.tag("{%p endif %}")

    b.heading(lg.h2(4, 3, t["p4_3"]), 2)
    b.para("{{ heatmap }}", align=center)
    b.caption(t["heatmap_caption"])
    b.para(t["overall"], bold=True)
    b.para("{{ risk.residual_acceptance }}")

    # Part 5: treatment plan
    b.heading(lg.h1(5, t["p5"]), 1)
    b.para(t["treat_intro"], keep=True)
    b.tag("{%p if treatments %}")
    b.table(
        [
            t["col_ref"],
            t["col_measure"],
            t["col_option"],
            t["col_owner"],
            t["col_deadline"],
            t["col_status"],
            t["col_residual"],
        ],
        [
            "{{ m.ref }}",
            "{{ m.measure }}",
            "{{ m.option }}",
            "{{ m.owner }}",
            "{{ m.deadline }}",
            "{{ m.status }}",
            "{{ m.residual }}",
        ],
        [2.4, 3.9, 2.1, 1.8, 2.1, 1.5, 1.7],  # "差距 M-02（S2）" fits the first column
        "m in treatments",
        shade_cells={1: "m.color", 5: "m.color", 6: "m.residual_color"},
        font_size=XIAOWU,
    )
    b.tag("{%p else %}")
    b.para(t["no_treatments"])
    b.tag("{%p endif %}")

    # Part 6: conclusion
    b.heading(lg.h1(6, t["p6"]), 1)
    b.heading(lg.h2(6, 1, t["p6_1"]), 2)
    b.kv_table(
        [
            (t["pipl56_1"], "{{ concl.lawfulness }}"),
            (t["pipl56_2"], "{{ concl.rights_impact }}"),
            (t["pipl56_3"], "{{ concl.measures }}"),
        ],
        widths=(5.5, 10.0),
    )
    b.heading(lg.h2(6, 2, t["p6_2"]), 2)
    b.tag("{%p if concl.fr_applicable %}")
    b.kv_table(
        [
            (t["fr9_1"], "{{ concl.lawfulness }}"),
            (t["fr9_2"], "{{ concl.rights_impact }}"),
            (t["fr9_3"], "{{ concl.fr_risk }}"),
            (t["fr9_4"], "{{ concl.measures }}"),
        ],
        widths=(5.5, 10.0),
    )
    b.tag("{%p else %}")
    b.para(t["fr9_na"])
    b.tag("{%p endif %}")
    b.heading(lg.h2(6, 3, t["p6_3"]), 2)
    b.para(t["decision"], bold=True)
    b.para(t["decision_basis"])
    b.tag("{%p if concl.blockers %}")
    b.para(t["blockers"], bold=True)
    b.tag("{%p for x in concl.blockers %}")
    b.para("{{ loop.index }}. {{ x }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if treat.before_start %}")
    b.para(t["before_start"], bold=True, keep=True)
    b.table(
        [t["col_ref"], t["col_measure"], t["col_owner"], t["col_deadline"], t["col_status"]],
        ["{{ m.ref }}", "{{ m.measure }}", "{{ m.owner }}", "{{ m.deadline }}", "{{ m.status }}"],
        [3.0, 6.5, 2.0, 2.4, 1.6],
        "m in treat.before_start",
        font_size=XIAOWU,
    )
    b.tag("{%p else %}")
    b.para(t["before_start_none"])
    b.tag("{%p endif %}")
    b.heading(lg.h2(6, 4, t["p6_4"]), 2)
    b.para(t["retention"])
    b.para(t["records"])
    b.para(t["next_review"])
    b.tag("{%p if concl.filing_due %}")
    b.para(t["filing"])
    b.tag("{%p endif %}")

    # Part 7: re-review
    b.heading(lg.h1(7, t["p7"]), 1)
    b.heading(lg.h2(7, 1, t["p7_1"]), 2)
    b.tag("{%p if review.is_rereview %}")
    b.para(t["changes_intro"], keep=True)
    b.tag("{%p if changes %}")
    b.table(
        [t["col_change_kind"], t["col_change_item"], t["col_before"], t["col_after"]],
        ["{{ c.kind }}", "{{ c.item }}", "{{ c.before }}", "{{ c.after }}"],
        [2.2, 4.3, 4.5, 4.5],
        "c in changes",
    )
    b.tag("{%p else %}")
    b.para(t["changes_none"])
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.para(t["changes_first"])
    b.tag("{%p endif %}")
    b.heading(lg.h2(7, 2, t["p7_2"]), 2)
    b.tag("{%p if history %}")
    b.table(
        [
            t["col_revision"],
            t["col_status"],
            t["col_rev_date"],
            t["col_approver"],
            t["col_rev_reason"],
        ],
        [
            "{{ h.revision }}",
            "{{ h.status }}",
            "{{ h.date }}",
            "{{ h.approver }}",
            "{{ h.reason }}",
        ],
        [1.8, 2.2, 2.6, 3.4, 5.5],
        "h in history",
    )
    b.tag("{%p else %}")
    b.para(t["history_none"])
    b.tag("{%p endif %}")

    _review_part(b, lg, 7, 3)  # issue 14: review, DPO advice, follow-up, evidence

    # Part 8: appendix
    b.heading(lg.h1(8, t["p8"]), 1)
    b.para(t["appendix_intro"], keep=True)
    b.tag("{%p for s in sections %}")
    b.heading("{{ s.id }}　{{ s.title }}" if zh else "{{ s.id }}  {{ s.title }}", 3)
    b.tag("{%p for blk in s.blocks %}")
    b.tag("{%p if blk.kind == 'table' %}")
    b.para("{{ blk.label }}", bold=True, keep=True)
    _answer_table(b, "blk")
    b.tag("{%p elif blk.kind == 'records' %}")
    b.para("{{ blk.label }}", bold=True, keep=True)
    _records(b, "blk")
    b.tag("{%p elif blk.kind == 'text' %}")
    b.para("{{ blk.label }}", bold=True, keep=True)
    b.para("{{ blk.answer }}")
    b.tag("{%p else %}")
    b.table(
        [t["col_question"], t["col_answer_full"]],
        ["{{ q.label }}", "{{ q.answer }}"],
        [5.5, 10.0],
        "q in blk.questions",
    )
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.tag("{%p endfor %}")

    b.fill_toc(toc_anchor)
    b.footer()
    out = ROOT / "templates" / f"report_{lang_code}.docx"
    b.save(out)
    return out


def _records(b: Builder, var: str) -> None:
    """A wide table answer, row by row: a small label/value table for each row."""
    t = b.t
    b.tag("{%p for rec in " + var + ".records %}")
    b.para("{{ rec.title }}", style="Small Text", bold=True, keep=True)
    b.table(
        [t["col_field"], t["col_value"]],
        ["{{ f.label }}", "{{ f.value }}"],
        [4.8, 10.7],
        "f in rec.fields",
        font_size=XIAOWU,
    )
    b.tag("{%p endfor %}")


def _answer_table(b: Builder, var: str = "pt") -> None:
    """A table answer as a real Word table, with as many columns as the question has.

    docxtpl's column loop needs three cells: `{%tc for %}`, the repeated cell, `{%tc endfor %}`.
    The table takes the full width and Word/LibreOffice share it among the rendered columns.
    """
    tbl = b.doc.add_table(rows=4, cols=3, style="Table Grid")
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    head, body = tbl.rows[0].cells, tbl.rows[2].cells
    cell_text(head[0], "{%tc for c in " + var + ".columns %}")
    cell_text(head[1], "{{ c }}", bold=True, size=XIAOWU)
    cell_text(head[2], "{%tc endfor %}")
    shade(head[1], "D9D9D9")
    row_props(tbl.rows[0], header=True)
    cell_text(tbl.rows[1].cells[0], "{%tr for row in " + var + ".rows %}")
    cell_text(body[0], "{%tc for v in row %}")
    cell_text(body[1], "{{ v }}", size=XIAOWU)
    cell_text(body[2], "{%tc endfor %}")
    row_props(tbl.rows[2])
    cell_text(tbl.rows[3].cells[0], "{%tr endfor %}")
    tblpr = tbl._tbl.tblPr
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    tblpr.append(_el("w:tblW", **{"w:w": "5000", "w:type": "pct"}))
    for col in tbl._tbl.tblGrid.findall(qn("w:gridCol")):
        col.set(qn("w:w"), str(int(15.5 * 567 / 3)))
    for row in tbl.rows:
        for cell in row.cells:
            tcpr = cell._tc.get_or_add_tcPr()
            for old in tcpr.findall(qn("w:tcW")):
                tcpr.remove(old)
            for p in cell.paragraphs:
                p.style = "Table Text"
    b.para()


REVIEW_TEXT = {
    "zh": {
        "title": "审核意见与证据",
        "none": "本修订版没有审核记录（角色、评价、评论、意见或附件）。",
        "roles": "评估角色",
        "col_role": "角色",
        "col_names": "姓名",
        "evaluations": "分部分审核结论",
        "col_section": "部分",
        "col_verdict": "结论",
        "col_comment": "意见",
        "col_reviewer": "审核人",
        "col_date": "日期",
        "col_time": "时间（UTC）",
        "comments": "评论（{{ rv.open_count }} 个未解决，{{ rv.resolved_count }} 个已解决）",
        "col_question": "问题",
        "col_state": "状态",
        "col_author": "提出人",
        "col_text": "内容",
        "dpo": "个人信息保护负责人意见",
        "dpo_advice": "意见",
        "dpo_by": "提出人及日期",
        "dpo_decision": "是否采纳",
        "dpo_reason": "理由",
        "followup": "处置措施落实情况",
        "col_row": "针对",
        "col_measure": "措施",
        "col_status": "状态",
        "col_by": "记录人",
        "col_note": "备注",
        "evidence": "证据清单",
        "evidence_intro": "下列文件保存在评估数据库中；SHA-256 可用于核对所提供的文件是否即为评估所依据的文件。",
        "col_no": "序号",
        "col_file": "文件",
        "col_attached": "对应问题",
        "col_size": "大小",
        "col_added": "添加人及日期",
    },
    "en": {
        "title": "Review and evidence",
        "none": "This revision has no review records (roles, evaluations, comments, advice or attachments).",
        "roles": "Roles",
        "col_role": "Role",
        "col_names": "Names",
        "evaluations": "Evaluation by section",
        "col_section": "Section",
        "col_verdict": "Evaluation",
        "col_comment": "Comment",
        "col_reviewer": "Reviewer",
        "col_date": "Date",
        "col_time": "Time (UTC)",
        "comments": "Comments ({{ rv.open_count }} open, {{ rv.resolved_count }} resolved)",
        "col_question": "Question",
        "col_state": "State",
        "col_author": "By",
        "col_text": "Comment",
        "dpo": "Advice of the DPO",
        "dpo_advice": "Advice",
        "dpo_by": "Given by, on",
        "dpo_decision": "Followed",
        "dpo_reason": "Reason",
        "followup": "Follow-up of the treatment plan",
        "col_row": "Addresses",
        "col_measure": "Measure",
        "col_status": "Status",
        "col_by": "Recorded by",
        "col_note": "Note",
        "evidence": "Evidence",
        "evidence_intro": "These files are kept in the assessment database; their SHA-256 shows whether a file "
        "handed over is the one the assessment relied on.",
        "col_no": "No.",
        "col_file": "File",
        "col_attached": "Attached to",
        "col_size": "Size",
        "col_added": "Added by, on",
    },
}


def _review_part(b: Builder, lg: Any, part: int, sub: int) -> None:
    """The review section (context key `rv`, pia_app/report/review_context.py)."""
    r = REVIEW_TEXT[lg.code]
    b.heading(lg.h2(part, sub, r["title"]), 2)
    b.tag("{%p if rv.present %}")
    b.para(r["roles"], bold=True, keep=True)
    b.table([r["col_role"], r["col_names"]], ["{{ x.role }}", "{{ x.names }}"], [5.0, 10.5], "x in rv.roles")
    b.tag("{%p for c in rv.conflicts %}")
    b.para("{{ c }}", bold=True)
    b.tag("{%p endfor %}")
    b.tag("{%p if rv.evaluations %}")
    b.para(r["evaluations"], bold=True, keep=True)
    b.table(
        [r["col_section"], r["col_verdict"], r["col_comment"], r["col_reviewer"], r["col_date"]],
        ["{{ e.section }}", "{{ e.verdict }}", "{{ e.comment }}", "{{ e.reviewer }}", "{{ e.date }}"],
        [3.0, 2.0, 5.2, 2.8, 2.5],
        "e in rv.evaluations",
        shade_cells={1: "e.color"},
    )
    b.tag("{%p endif %}")
    b.tag("{%p if rv.comments %}")
    b.para(r["comments"], bold=True, keep=True)
    b.table(
        [r["col_question"], r["col_time"], r["col_author"], r["col_text"], r["col_state"]],
        ["{{ c.question }}", "{{ c.date }}", "{{ c.author }}", "{{ c.text }}", "{{ c.state }}"],
        [3.6, 2.4, 2.0, 5.0, 2.5],
        "c in rv.comments",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if rv.dpo.present %}")
    b.para(r["dpo"], bold=True, keep=True)
    b.kv_table(
        [
            (r["dpo_advice"], "{{ rv.dpo.advice }}"),
            (r["dpo_by"], "{{ rv.dpo.given_by }} {{ rv.dpo.date }}"),
            (r["dpo_decision"], "{{ rv.dpo.decision }}"),
            (r["dpo_reason"], "{{ rv.dpo.reason }}"),
        ]
    )
    b.tag("{%p endif %}")
    b.tag("{%p if rv.followup %}")
    b.para(r["followup"], bold=True, keep=True)
    b.table(
        [r["col_row"], r["col_measure"], r["col_status"], r["col_date"], r["col_by"], r["col_note"]],
        ["{{ f.row }}", "{{ f.measure }}", "{{ f.status }}", "{{ f.date }}", "{{ f.by }}", "{{ f.note }}"],
        [0.9, 5.2, 1.6, 2.5, 2.0, 3.3],
        "f in rv.followup",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if rv.evidence %}")
    b.para(r["evidence"], bold=True, keep=True)
    b.para(r["evidence_intro"])
    b.table(
        [r["col_no"], r["col_file"], r["col_attached"], r["col_size"], "SHA-256", r["col_added"]],
        [
            "{{ a.no }}",
            "{{ a.name }}",
            "{{ a.attached_to }}",
            "{{ a.size }}",
            "{{ a.sha256 }}",
            "{{ a.added }}",
        ],
        [1.0, 3.0, 3.6, 1.6, 3.8, 2.5],
        "a in rv.evidence",
        font_size=XIAOWU,
    )
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.para(r["none"])
    b.tag("{%p endif %}")


if __name__ == "__main__":
    force = "--force" in sys.argv
    codes = [a for a in sys.argv[1:] if not a.startswith("--")] or ["zh", "en"]
    for code in codes:
        target = ROOT / "templates" / f"report_{code}.docx"
        if target.exists() and not force:
            sys.exit(
                f"{target} exists and may carry edits made in Word; "
                "edit it in Word, or rerun with --force to draw it anew (edits are lost)"
            )
        print(build(code))
