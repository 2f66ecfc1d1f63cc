"""The wording of notices: administrators write Django template text over a fixed set of named values.

A template never sees a model instance. `notice_context()` copies the values the editor offers into
plain dicts, lists and dates, so no lookup can walk from a case to its handler's password hash or to
the department's other cases. `notice_template_errors()` refuses, at save time, every variable, tag
and filter outside that offer, and loops over anything but the offered lists; rendering checks again,
with a bounded loop depth and a bounded output length (CaseworkSettings.notice_max_length).
"""

import re

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Lexer, TextNode, TokenType, Variable, VariableNode
from django.template.defaultfilters import register as builtin_filters
from django.template.defaulttags import CycleNode, FirstOfNode, ForNode, IfNode, NowNode, WithNode
from django.utils import timezone

from staffing.models import CenterSettings
from staffing.working_days import add_working_days

from ..models import CaseworkSettings

DATE = '|date:"Y年n月j日"'

# (variable, label): every value a notice may use. Dates are shown with the date filter in the editor.
VARIABLES = [
    ("case.number", "办件编号"),
    ("case.applicant_name", "申请人"),
    ("item_name", "事项名称"),
    ("case.received_on", "收件日期"),
    ("case.committed_limit_days", "承诺时限（工作日）"),
    ("case.committed_due_date", "承诺办结日"),
    ("case.completed_on", "办结日期"),
    ("case.status", "办件状态：approved 准予，disapproved 不予批准"),
    ("case.fee_terms", "收费"),
    ("item.result_name", "办理结果（证照）名称"),
    ("collection_date", "领取结果日期"),
    ("window_label", "窗口，如：01号窗口（市场主体登记）"),
    ("window_location", "窗口位置"),
    ("contact", "事项联系人"),
    ("contact_phone", "咨询电话"),
    ("complaint_phone", "监督投诉电话"),
    ("complaint_box", "投诉箱"),
    ("refusal.reason", "否定理由"),
    ("refusal.legal_basis", "法律依据"),
    ("refusal.referred_authority", "应向其申请的机关"),
    ("reconsideration_authority", "行政复议机关（部门设置）"),
    ("reconsideration_days", "申请行政复议期限（日）"),
    ("litigation_months", "提起行政诉讼期限（月）"),
    ("extension.days", "延长的工作日数（延期告知书）"),
    ("extension.reason", "延期理由（延期告知书）"),
    ("extension.new_due_date", "延期后的办结日（延期告知书）"),
    ("center_name", "中心名称"),
    ("today", "出具日期"),
]
DATE_VARIABLES = {
    "case.received_on", "case.committed_due_date", "case.completed_on", "collection_date", "today", "extension.new_due_date",
}
MATERIAL_LISTS = [
    ("problem_materials", "需补正的全部材料（缺少的和不合格的，按序号）"),
    ("missing_materials", "缺少的材料"),
    ("unqualified_materials", "不合格的材料"),
]
MATERIAL_FIELDS = [
    ("name", "材料名称"),
    ("get_form_display", "材料形式（原件、复印件……）"),
    ("copies", "份数"),
    ("problem", "不合格材料的修改要求"),
    ("state", "核验结果：missing 缺少，unqualified 不合格"),
]
ALLOWED_TAGS = {"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof", "now", "cycle"}
# Filters whose output is bounded by their input (no center:"999999999", no add between lists).
ALLOWED_FILTERS = [
    "date", "time", "default", "default_if_none", "length", "upper", "lower", "first", "last", "join",
    "yesno", "truncatechars", "cut", "slice",
]
MAX_LOOP_DEPTH = 2  # a loop inside a loop over the material lists; a third level is refused

SCALAR = "scalar"


class ListOf:
    def __init__(self, item):
        self.item = item


def _schema() -> dict:
    schema = {}
    for name, _ in VARIABLES:
        *parents, last = name.split(".")
        node = schema
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = SCALAR
    material = {name: SCALAR for name, _ in MATERIAL_FIELDS}
    for name, _ in MATERIAL_LISTS:
        schema[name] = ListOf(material)
    return schema


SCHEMA = _schema()
FORLOOP = {name: SCALAR for name in ("counter", "counter0", "revcounter", "revcounter0", "first", "last")}
FILTER_FUNCTIONS = {builtin_filters.filters[name] for name in ALLOWED_FILTERS}
# Our own engine: no loaders, no project template libraries; text, not HTML.
ENGINE = Engine(loaders=[], autoescape=False)


def placeholders() -> list[tuple[str, str]]:
    """(example, label) for the editor's help, in the order of the lists above."""
    rows = [("{{ %s%s }}" % (name, DATE if name in DATE_VARIABLES else ""), label) for name, label in VARIABLES]
    fields = "、".join("{{ m.%s }} %s" % (name, label) for name, label in MATERIAL_FIELDS[1:])
    for name, label in MATERIAL_LISTS:
        rows.append(("{%% for m in %s %%}{{ forloop.counter }}. {{ m.name }}{%% endfor %%}" % name, label))
    rows.append(("{{ m.… }}", f"循环内每项材料还可用：{fields}"))
    return rows


def _material(material) -> dict:
    return {
        "name": material.name,
        "get_form_display": material.get_form_display(),
        "copies": material.copies,
        "problem": material.problem,
        "state": material.state,
    }


def notice_context(case, refusal=None, extension=None) -> dict:
    """The values a notice of `case` may show, as plain values (never model instances)."""
    center = CenterSettings.load()
    settings = CaseworkSettings.load()
    item = case.item
    problems = [_material(m) for m in case.materials.filter(state__in=["missing", "unqualified"]).order_by("order")]
    collection_date = None
    if case.committed_due_date:
        collection_date = add_working_days(case.committed_due_date, settings.collection_days_after_completion)
    return {
        "case": {
            "number": case.number,
            "applicant_name": case.applicant_name,
            "received_on": case.received_on,
            "committed_limit_days": case.committed_limit_days,
            "committed_due_date": case.committed_due_date,
            "completed_on": case.completed_on,
            "status": case.status,
            "fee_terms": case.fee_terms,
        },
        "item": {"result_name": item.result_name},
        "item_name": item.full_name,
        "center_name": center.name,
        "window_label": f"{case.window.number}号窗口（{case.window.name}）",
        "window_location": case.window.location,
        "contact": item.contact,
        "contact_phone": item.phone,
        "complaint_phone": item.complaint_phone or center.complaint_phone,
        "complaint_box": center.complaint_box,
        "problem_materials": problems,
        "missing_materials": [m for m in problems if m["state"] == "missing"],
        "unqualified_materials": [m for m in problems if m["state"] == "unqualified"],
        "collection_date": collection_date,
        "refusal": (
            {"reason": refusal.reason, "legal_basis": refusal.legal_basis, "referred_authority": refusal.referred_authority}
            if refusal is not None
            else {}
        ),
        "reconsideration_authority": case.department.reconsideration_authority or DEFAULT_RECONSIDERATION_AUTHORITY,
        "reconsideration_days": settings.reconsideration_days,
        "litigation_months": settings.litigation_months,
        "extension": (
            {"days": extension.days, "reason": extension.reason, "new_due_date": case.committed_due_date}
            if extension is not None
            else {}
        ),
        "today": timezone.localdate(),
    }


# When a department names none: the people's government at the same level (行政复议法 第二十四条).
DEFAULT_RECONSIDERATION_AUTHORITY = "大余县人民政府"


def sample_notice_context() -> dict:
    """The values of a made-up case, for the template editor's preview: every offered value filled in."""
    center = CenterSettings.load()
    settings = CaseworkSettings.load()
    today = timezone.localdate()
    due = add_working_days(today, 10)
    materials = [
        {"name": "营业执照副本", "get_form_display": "复印件", "copies": 1, "problem": "", "state": "missing"},
        {"name": "法定代表人身份证明", "get_form_display": "原件", "copies": 1, "problem": "须加盖公章", "state": "unqualified"},
    ]
    return {
        "case": {
            "number": f"{today:%Y%m%d}0001",
            "applicant_name": "张三（示例）",
            "received_on": today,
            "committed_limit_days": 10,
            "committed_due_date": due,
            "completed_on": today,
            "status": "approved",
            "fee_terms": "不收费",
        },
        "item": {"result_name": "食品经营许可证"},
        "item_name": "食品经营许可（示例）",
        "center_name": center.name,
        "window_label": "01号窗口（市场主体登记）",
        "window_location": "中心一楼大厅",
        "contact": "李四",
        "contact_phone": "0797-8721234",
        "complaint_phone": center.complaint_phone,
        "complaint_box": center.complaint_box,
        "problem_materials": materials,
        "missing_materials": materials[:1],
        "unqualified_materials": materials[1:],
        "collection_date": add_working_days(due, settings.collection_days_after_completion),
        "refusal": {"reason": "申请事项不属于本机关职权范围（示例）", "legal_basis": "《中华人民共和国行政许可法》第三十二条", "referred_authority": "赣州市市场监督管理局"},
        "reconsideration_authority": DEFAULT_RECONSIDERATION_AUTHORITY,
        "reconsideration_days": settings.reconsideration_days,
        "litigation_months": settings.litigation_months,
        "extension": {"days": 5, "reason": "需现场核查（示例）", "new_due_date": add_working_days(due, 5)},
        "today": today,
    }


def render_preview(body: str) -> tuple[str, list[str]]:
    """(the text of `body` for the sample case, the errors that stop it) for the template editor."""
    errors = notice_template_errors(body)
    if errors:
        return "", errors
    limit = CaseworkSettings.load().notice_max_length
    compiled = ENGINE.from_string(body)
    _bound_output(compiled, limit)
    try:
        return compiled.render(Context(sample_notice_context(), autoescape=False)).strip(), []
    except NoticeTooLong:
        return "", [f"按示例办件生成的正文超过了“办件设置”中的通知书最大字数（{limit}字）。"]


# ---------------------------------------------------------------- checking a template


def notice_template_errors(body: str) -> list[str]:
    """Why `body` cannot serve as a notice template, in Chinese; empty when it can."""
    limit = CaseworkSettings.load().notice_max_length
    if len(body) > limit:
        return [f"正文模板有{len(body)}字,超过了“办件设置”中的通知书最大字数({limit}字)。"]
    forbidden = sorted(
        {token.split_contents()[0] for token in Lexer(body).tokenize() if token.token_type == TokenType.BLOCK}
        - ALLOWED_TAGS
    )
    if forbidden:
        return [f"文书模板不能使用这些标签:{'、'.join(forbidden)}。可用的标签:if、for、with、firstof、now、cycle。"]
    try:
        template = ENGINE.from_string(body)
    except TemplateSyntaxError as error:
        return [f"正文模板有语法错误：{explain_syntax_error(error)}"]
    errors = []
    _check_nodes(template.nodelist, dict(SCHEMA), 0, errors)
    return list(dict.fromkeys(errors))


def _tags(text: str) -> str:
    """「'elif', 'else' or 'endif'」 or 「elif, else, endif」 as 「{% elif %}、{% else %} 或 {% endif %}」."""
    names = re.findall(r"[A-Za-z_]+", text.replace(" or ", ","))
    shown = ["「{%% %s %%}」" % name for name in names]
    return "、".join(shown[:-1]) + (" 或 " if len(shown) > 1 else "") + shown[-1] if shown else ""


SYNTAX_ERRORS = [
    (r"Unclosed tag on line (\d+): '(\w+)'\. Looking for one of: (.*)\.",
     lambda m: f"第{m[1]}行的「{{% {m[2]} %}}」没有结束，请在该结束的位置写上「{{% {m[3].split(',')[-1].strip()} %}}」。"),
    (r"Invalid block tag on line (\d+): '(\w+)', expected (.*?)\. Did you",
     lambda m: f"第{m[1]}行的「{{% {m[2]} %}}」放错了位置，此处应为{_tags(m[3])}。"),
    (r"Invalid block tag on line (\d+): '(\w+)'",
     lambda m: f"第{m[1]}行的标签「{m[2]}」不存在。可用的标签：if、for、with、firstof、now、cycle。"),
    (r"Could not parse the remainder: '(.*)' from '(.*)'",
     lambda m: f"「{m[2]}」写法有误，无法识别其中的「{m[1]}」。变量和过滤器之间用竖线，如 {{{{ case.received_on|date:\"Y年n月j日\" }}}}。"),
    (r"Could not parse some characters: (.*)", lambda m: f"「{m[1]}」写法有误，无法识别。"),
    (r"Empty variable tag on line (\d+)", lambda m: f"第{m[1]}行有空的「{{{{ }}}}」，请在其中写上占位符。"),
    (r"Empty block tag on line (\d+)", lambda m: f"第{m[1]}行有空的「{{% %}}」，请在其中写上标签。"),
    (r"Invalid filter: '(.*)'", lambda m: f"过滤器「{m[1]}」不存在。可用的过滤器：{'、'.join(ALLOWED_FILTERS)}。"),
    (r"'for' (statements|tag)", lambda m: "「{% for %}」应写作「{% for m in problem_materials %}…{% endfor %}」。"),
    (r"in if tag|'if' statement|if tag", lambda m: "「{% if %}」的条件写法有误，如「{% if case.status == 'approved' %}」。"),
]


def explain_syntax_error(error: TemplateSyntaxError) -> str:
    """Django's English message about a template, told in Chinese with its line where Django gives one."""
    message = str(error)
    for pattern, explain in SYNTAX_ERRORS:
        match = re.search(pattern, message)
        if match:
            return explain(match)
    return "写法有误，请检查「{{ }}」和「{% %}」是否成对、标签和过滤器的名称是否正确。"


def _check_nodes(nodelist, scope: dict, depth: int, errors: list) -> None:
    for node in nodelist:
        if isinstance(node, TextNode):
            continue
        if isinstance(node, VariableNode):
            _check_expression(node.filter_expression, scope, errors)
        elif isinstance(node, IfNode):
            for condition, nodes in node.conditions_nodelists:
                _check_condition(condition, scope, errors)
                _check_nodes(nodes, scope, depth, errors)
        elif isinstance(node, ForNode):
            _check_loop(node, scope, depth, errors)
        elif isinstance(node, WithNode):
            inner = dict(scope)
            for name, expression in node.extra_context.items():
                _check_expression(expression, scope, errors)
                inner[name] = SCALAR if expression.filters else _lookup(expression, scope)
            _check_nodes(node.nodelist, inner, depth, errors)
        elif isinstance(node, (FirstOfNode, CycleNode, NowNode)):
            for expression in getattr(node, "vars", None) or getattr(node, "cyclevars", None) or []:
                _check_expression(expression, scope, errors)
            name = getattr(node, "asvar", None) or getattr(node, "variable_name", None)
            if name:
                scope[name] = SCALAR  # set for the text that follows, as Django does
        else:  # unreachable: the tag list above lets no other node through
            errors.append(f"文书模板不能使用「{node.token.contents}」。")


def _check_loop(node, scope, depth, errors) -> None:
    sequence = node.sequence
    found = _lookup(sequence, scope)
    if not isinstance(found, ListOf):
        lists = "、".join(name for name, _ in MATERIAL_LISTS)
        errors.append(f"「{{% for … in {sequence.token} %}}」:循环只能遍历材料清单({lists})。")
    elif depth >= MAX_LOOP_DEPTH:
        errors.append(f"「{{% for … in {sequence.token} %}}」:循环最多嵌套{MAX_LOOP_DEPTH}层。")
    else:
        _check_expression(sequence, scope, errors)
    inner = dict(scope)
    for name in node.loopvars:
        inner[name] = found.item if isinstance(found, ListOf) else {}
    inner["forloop"] = {**FORLOOP, "parentloop": scope["forloop"]} if "forloop" in scope else FORLOOP
    _check_nodes(node.nodelist_loop, inner, depth + 1, errors)
    _check_nodes(node.nodelist_empty, scope, depth, errors)


def _check_condition(condition, scope, errors) -> None:
    if condition is None:  # {% else %}
        return
    if isinstance(getattr(condition, "value", None), FilterExpression):
        _check_expression(condition.value, scope, errors)
        return
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        _check_condition(part, scope, errors)


def _check_expression(expression: FilterExpression, scope: dict, errors: list) -> None:
    if isinstance(expression.var, Variable) and expression.var.lookups and _lookup(expression, scope) is None:
        errors.append(
            f"文书模板不能使用变量「{expression.var.var}」：只能使用正文模板下方列出的占位符"
            "（如 {{ case.number }}、{{ item_name }}），不能读取办件、人员或其他记录的其他信息。"
        )
    for function, arguments in expression.filters:
        if function not in FILTER_FUNCTIONS:
            name = getattr(function, "_filter_name", function.__name__)
            errors.append(f"文书模板不能使用过滤器「{name}」。可用的过滤器:{'、'.join(ALLOWED_FILTERS)}。")
        for is_lookup, argument in arguments:
            if is_lookup and argument.lookups and _resolve(argument.lookups, scope) is None:
                errors.append(f"文书模板不能使用变量「{argument.var}」:只能使用正文模板下方列出的占位符。")


def _lookup(expression: FilterExpression, scope: dict):
    """The schema of the value an expression stands for; None when it is not offered; SCALAR for literals."""
    if not isinstance(expression.var, Variable) or not expression.var.lookups:
        return SCALAR
    return _resolve(expression.var.lookups, scope)


def _resolve(lookups, scope: dict):
    node = scope.get(lookups[0])
    for part in lookups[1:]:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


# ---------------------------------------------------------------- rendering


class NoticeTooLong(Exception):
    pass


def _bound_output(template, limit: int) -> None:
    """Stop rendering as soon as the text written exceeds `limit` characters (loops multiply text)."""
    written = [0]
    leaves = (TextNode, VariableNode, FirstOfNode, CycleNode, NowNode)
    for node in template.nodelist.get_nodes_by_type(leaves):
        render = node.render_annotated  # what NodeList and ForNode call (TextNode skips render())

        def counted(context, render=render):
            text = render(context)
            written[0] += len(text)
            if written[0] > limit:
                raise NoticeTooLong
            return text

        node.render_annotated = counted


def render_notice_body(template, context: dict) -> str:
    """The text of a notice from `template` (a NoticeTemplate) and `notice_context()`."""
    errors = notice_template_errors(template.body)
    if errors:
        raise ValidationError(f"文书模板「{template}」有误,请管理员修改:{errors[0]}")
    limit = CaseworkSettings.load().notice_max_length
    compiled = ENGINE.from_string(template.body)
    _bound_output(compiled, limit)
    try:
        return compiled.render(Context(context, autoescape=False)).strip()
    except NoticeTooLong:
        raise ValidationError(
            f"文书模板「{template}」生成的正文超过了“办件设置”中的通知书最大字数({limit}字),请管理员修改模板。"
        ) from None
