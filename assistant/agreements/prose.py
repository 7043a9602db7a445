"""Values a message tells in prose rather than after a label: a quoted or "called" title, the posts people
"work as", what a training covers, where a base sits, a base's name by what it is ("鲲鹏ICT实训基地").

Each form is how such a value is said in either language, not a list of values: the value itself is
whatever stands in the form's place, up to the end of its clause.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# A labelled value runs to the end of its clause; "Co., Ltd." and "No. 5" do not end it.
VALUE = r"((?:Co\.,?\s*Ltd|\d[,，]\d{3}|[^,;，；。\n.|]|\.(?!\s|$))+)"
# An address runs on past a comma that a place's next part follows ("Building 5, 3098 Wahong Road, Fengxian
# District"), not past one that a clause follows ("in Taizhou, with 30 stations").
ADDRESS = r"((?:Co\.,?\s*Ltd|No\.\s*(?=\d)|\d[,，]\d{3}|,\s*(?=[A-Z0-9])|[^,;，；。\n.|]|\.(?!\s|$))+)"
# "located in Taizhou", "地点在连云港", "基地位于...", "在学校松山湖校区": where, for a field called location.
_LOCATION = re.compile(
    r"\b(?:(?:located|based|sited|situated|housed) (?:in|at)|sits (?:in|at|on))\s+"
    + ADDRESS
    + r"|(?:位于|设在|设于|放在|建在|落在|地点在|地点是|地点[:：])\s*"
    + VALUE
    # "在学校松山湖校区", "在企业的江宁工厂": a site of one of the parties, named by what it is.
    + r"|在(?:学校|学院|我校|校内|企业|公司|我司|厂里|对方)?的?"
    r"([\u4e00-\u9fffA-Za-z0-9]{2,12}?(?:校区|园区|厂区|工厂|车间|产业园|开发区|高新区))"
    # "on our North Campus", "at the company's Jiangning plant": a named site of one of the parties.
     + r"|\b(?:on|at|in) (?:our|the|the college's|the school's|the company's) ((?:[\w'-]+ ){1,4}"
    r"(?:[Cc]ampus|[Pp]lant|[Ff]actory|[Ss]ite|[Pp]ark|[Ww]orkshop|[Bb]ase|[Ee]state|[Ss]hipyard|[Mm]ine))\b"
)
# "They'll work as warehouse assistants and dispatchers": the posts, for a field of posts or a trade.
# "18 students going to Midea Group as production line technicians 2027-07-01 to ...": the verb may stand a
# few words before "as"; the posts end with their clause, a date or a "from"/"for".
_WORK_AS = re.compile(
    r"\b(?:work|working|serve|serving|placed|employed|trained|go|going|sent|assigned|join|joining|intern|interning)"
    r"\b[^,;。\n.]{0,60}?\bas\s+(?:an?\s+)?([^,;。\n.]+?)"
    r"(?=[,;。\n.]|\s+(?:from|for|during|between|starting|until|on|in)\b|\s+\d|$)"
    # "for warehouse picking and dispatch posts", "on SMT line operation posts": the posts named as posts.
    r"|\b(?:for|on|in|into)\s+(?:the\s+)?([^,;。\n.]{3,60}?)\s+(?:posts|positions|roles|jobs)\b"
    # "担任装配技术员", "从事质检工作", "到总装岗位实习": the post in Chinese.
    r"|(?:担任|从事)([\u4e00-\u9fff、和与及]{2,20}?)(?:岗位|工作|[，,。；;\s]|$)"
    r"|(?:到|去|在)([\u4e00-\u9fff、和与及]{2,20}?)岗位?(?:实习|工作|上岗|顶岗)",
    re.IGNORECASE,
)
# "train 60 of our production staff in GMP compliance and aseptic operation": what the training covers.
_TRAINED_IN = re.compile(
    r"\b(?:train\w*|upskill\w*|reskill\w*|teach\w*|take courses|courses)\b(?:Co\.,?\s*Ltd\.?|[^;\n.]){0,100}?\bin\s+"
    r"([^,;。\n.]+?)(?=[,;。\n.]|\s+(?:from|for|starting)\b|$)",
    re.IGNORECASE,
)
# "..., covering lean production and quality management", "内容涵盖…": what the training covers, said outright.
_COVERING = re.compile(
    r"\b(?:covering|on the topics? of|focused on|focusing on)\s+([^;。\n.]+?)(?=[;。\n.]|$)"
    r"|(?:内容包括|内容涵盖|涵盖|围绕)([^，,；;。\n]{2,40})",
    re.IGNORECASE,
)
# "evening classes for 45 of our staff on Python data analysis": the topic after "on", which beats the words
# before "classes" ("evening").
_CLASSES_ON = re.compile(
    r"\b(?:classes|courses?|training|programme|program|sessions|workshops)\b[^.;\n]{0,50}?\bon\s+"
    r"(?!(?:the|our|their|a|an)\s+(?:premises|site|campus|day)\b)([^,;。\n.]+?)(?=[,;。\n.]|\s+(?:from|for|starting)\b|$)",
    re.IGNORECASE,
)
# "run PLC programming + servo drive courses", "开展GMP规范与无菌操作培训": what the courses are about.
_COURSES_RUN = re.compile(
    r"\b(?:run|offer|deliver|provide|give|hold|organi[sz]e)\s+(?:a |an |the |some )?([^,;。\n.]{3,60}?)"
    r"\s+(?:courses?|training|classes|workshops|sessions)\b"
    r"|(?:开展|开设|组织|进行|提供|举办|开)(?:一期|几期|一批|一轮)?([\u4e00-\u9fffA-Za-z0-9+、与和及]{2,30}?)的?(?:培训|课程|课)",
    re.IGNORECASE,
)
# "共建一个鲲鹏ICT实训基地", "co-build the Smart Energy Training Centre": a base named by what it is.
_BASE_BUILT = re.compile(
    r"(?:共建|共同建设|合建|建设|建立|打造|成立|建)(?:一个|一座|一所|个)?"
    r"([\u4e00-\u9fffA-Za-z0-9]{2,20}?(?:实训基地|实训中心|实训室|实验室|基地|中心|工坊|车间))"
    r"|\b(?:co-build|build|set up|establish|open)\s+(?:a |an |the )?((?:[A-Z][\w&'-]*\s+){1,6}"
    r"(?:Centre|Center|Base|Lab|Laboratory|Workshop|Hub))\b"
)
_QUOTED = re.compile(r"[\"“「『《]([^\"”」』》]{3,80})[\"”」』》]|(?<![\w])'([^']{3,80})'(?![\w])")
# "a project called Machine-Vision Fabric Defect Detection": a title without quotes.
_CALLED = re.compile(
    r"\b(?:called|titled|entitled|named|call|name)\s+(?:it\s+)?(?:the\s+)?([A-Z][^,;。\n.]{2,80}?)"
    r"(?=[,;。\n.]|\s+(?:with|and|for|from|budget)\b|$)"
)


def told_in_prose(names: Collection[str], message: str) -> dict[str, str]:
    """The values of `names` (a template's fields) the message tells in prose, by field name."""
    found: dict[str, str] = {}
    quoted = _QUOTED.search(message) or _CALLED.search(message)
    title = next((n for n in ("project_title", "patent_title", "class_name", "base_name") if n in names), None)
    if quoted and title:
        found[title] = next(g for g in quoted.groups() if g).strip()
    built = _BASE_BUILT.search(message)
    if built and "base_name" in names:
        found.setdefault("base_name", next(g for g in built.groups() if g).strip())
    posts = next((n for n in ("posts", "target_posts", "occupation") if n in names), None)
    works = _WORK_AS.search(message)
    if posts and works:
        found[posts] = next(g for g in works.groups() if g).strip()
    trained = (
        _COVERING.search(message)
        or _TRAINED_IN.search(message)
        or _CLASSES_ON.search(message)
        or _COURSES_RUN.search(message)
    )
    if trained and "courses" in names:
        found["courses"] = next(g for g in trained.groups() if g).strip()
    located = _LOCATION.search(message)
    if located and "location" in names:
        found["location"] = next(g for g in located.groups() if g).strip()
    return found


# A line an e-mail program wrapped: long, ending mid-sentence, followed by more of the sentence (not a
# "Label: value" line, a bullet or a blank line).
_WRAPPED_LENGTH = 50
_SENTENCE_END = re.compile(r"[.!?:;。！？：；,，]\s*$")
_LINE_OF_ITS_OWN = re.compile(r"^\s*(?:$|[-*•·]|\d+[.)、]|[^:：\n]{1,25}[:：])")


def unwrapped(message: str) -> str:
    """The message with e-mail line wrapping undone: a line broken mid-sentence joins the next one, so
    "the Construction Machinery\nOperation and Maintenance programme" is one name again."""
    lines = message.split("\n")
    joined = [lines[0]]
    for line in lines[1:]:
        previous = joined[-1]
        if len(previous) >= _WRAPPED_LENGTH and not _SENTENCE_END.search(previous) and not _LINE_OF_ITS_OWN.match(line):
            joined[-1] = f"{previous.rstrip()} {line.lstrip()}"
        else:
            joined.append(line)
    return "\n".join(joined)
