"""Job-post titles a person would write ("Senior Legal Expert for SaaS app").

A title is [level] + role + [for what]. The role is, in order of preference:

1. the one the client named ("a virtual assistant", "an expert legal expert" -> Legal Expert),
   completed by a skill when it is a bare noun ("a developer" + Shopify -> Shopify Developer);
2. the person who does the first skill that names an activity the client asked for in their
   own words ("proofread my thesis": Proofreading -> Proofreader; Virtual Assistance ->
   Virtual Assistant; Lead Generation -> Lead Generation Specialist); a subject ("Economics",
   "Terms of Service") never leads when such an activity was asked for;
3. the first skill with its category's role ("Python" -> Python Developer).

No word is said twice: a role never ends in two forms of one word ("Assistance Assistant") and
"for ..." is dropped when it repeats the role or names a person ("for a data analyst").
The shared rule for roles (:mod:`tandem.text.roles`) is left as the generator uses it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tandem.text.roles import headline

if TYPE_CHECKING:
    from tandem.companion.tools import Tools

ROLE_BY_CATEGORY = {
    "Web, Mobile & Software Dev": "Developer", "IT & Networking": "Engineer",
    "Data Science & Analytics": "Data Specialist", "Design & Creative": "Designer",
    "Writing": "Writer", "Translation": "Translator", "Sales & Marketing": "Marketer",
    "Admin Support": "Assistant", "Customer Service": "Support Specialist",
    "Accounting & Consulting": "Consultant", "Legal": "Legal Expert",
    "Engineering & Architecture": "Engineer",
}  # fmt: skip
#: An activity (a skill name's last word) and the person who does it.
AGENT = {
    "assistance": "Assistant", "proofreading": "Proofreader", "bookkeeping": "Bookkeeper",
    "copywriting": "Copywriter", "editing": "Editor", "transcription": "Transcriber",
    "translation": "Translator", "interpreting": "Interpreter", "illustration": "Illustrator",
    "animation": "Animator", "photography": "Photographer", "videography": "Videographer",
    "tutoring": "Tutor", "coaching": "Coach", "programming": "Programmer",
    "research": "Researcher", "planning": "Planner", "review": "Reviewer",
    "modeling": "Modeler", "modelling": "Modeller", "design": "Designer",
    "development": "Developer", "writing": "Writer", "marketing": "Marketer",
    "engineering": "Engineer", "analysis": "Analyst", "analytics": "Analyst",
    "management": "Manager", "consulting": "Consultant", "administration": "Administrator",
    "accounting": "Accountant", "testing": "Tester", "recruiting": "Recruiter",
    "narration": "Narrator", "production": "Producer", "composition": "Composer",
    "support": "Support Specialist", "law": "Lawyer",
}  # fmt: skip
ACTIVITY_ENDING = re.compile(r"(?:ing|tion|sion|ment|ance)$", re.IGNORECASE)
#: Nouns for a person hired to do work (singular); a client naming one has named the role.
PERSON = (
    "assistant|developer|designer|writer|copywriter|editor|proofreader|translator|interpreter|"
    "transcriber|analyst|scientist|engineer|architect|manager|consultant|specialist|expert|"
    "artist|illustrator|animator|photographer|videographer|accountant|bookkeeper|lawyer|"
    "attorney|paralegal|tutor|teacher|coach|trainer|marketer|strategist|programmer|coder|"
    "tester|researcher|agent|representative|administrator|planner|producer|composer|narrator|"
    "actor|modeler|recruiter|virtual assistant|va"
)
NAMED_ROLE = re.compile(
    rf"\b(?P<noun>{PERSON})(?:s|es)?\b(?=\s*(?:$|[,.;:!?()]|(?:to|for|who|that|with|in|on|and|"
    rf"or|from|at|by|experienced|needed|required|wanted)\b))",
    re.IGNORECASE,
)
#: Words that qualify a role without naming it ("an experienced", "a good").
NOT_ROLE = frozenset(
    {
        "a", "an", "the", "one", "two", "three", "some", "several", "my", "our", "need", "needs",
        "hire", "find", "want", "looking", "seeking", "for", "as", "is", "be", "senior", "junior",
        "expert", "experienced", "skilled", "good", "great", "reliable", "professional",
        "freelance", "qualified", "talented", "dedicated", "top", "best", "highly", "very",
        "seasoned", "certified", "lead", "mid-level", "entry-level", "i", "we", "us", "me",
        "and", "or", "with", "of", "to", "new", "another", "more", "intermediate",
        "intermediate-level", "expert-level", "senior-level", "junior-level", "level",
        "someone", "somebody", "who", "are", "verified", "proven", "strong", "passionate",
    }
)  # fmt: skip
OBJECT = re.compile(
    r"\bfor\s+(?:my|our|a|an|the)\s+([A-Za-z][\w'&\- ]{2,40}?)(?=\s+(?:using|with|in|that|which|"
    r"and|to|by|on)\b|[.,;:!?()]|$)",
    re.IGNORECASE,
)
#: "Proofread my PhD thesis": what the work is done on, when no "for my ..." says it.
POSSESSION = re.compile(
    r"^\s*(?:please\s+)?[A-Za-z]+(?:\s+up)?\s+(?:my|our)\s+([A-Za-z][\w'&\- ]{2,30}?)"
    r"(?=\s+(?:in|on|for|about|with|using|to|from|and|that|before)\b|[.,;:!?()]|$)",
    re.IGNORECASE,
)
LEVEL_WORDS = ("senior", "junior", "lead", "principal")
#: Words for "level", in the languages clients write in: "niveau expert", "nivel experto",
#: "livello esperto", "Level: expert" say how experienced, and name no role.
LEVEL_NOUN = re.compile(
    r"(?:level|niveau|nivel|n[íi]vel|livello|niveles|stufe|erfahrungsstufe|seniority)"
    r"[^\S\n]*[:=-]?[^\S\n]*$",
    re.IGNORECASE,
)
#: Named roles that say no trade: a skill completes them ("an expert" + OCR -> OCR Expert).
GENERIC_ROLES = frozenset(
    {"expert", "specialist", "consultant", "professional", "freelancer", "developer", "engineer"}
)
#: What a "for ..." names that is no object of the work: a person ("for a skilled
#: professional"), a time or a price ("for a few hours", "for a fixed price"), or a word too
#: general to say anything ("for our business", "for the project").
NOT_TARGET = re.compile(
    rf"\b(?:{PERSON}|professional|freelancer|someone|somebody|person|candidate|individual|"
    r"hours?|days?|weeks?|months?|years?|time|price|budget|rate|fee|cost|few|couple|"
    r"long[- ]term|short[- ]term|one[- ]time|final|next|following|first)s?\b"
    r"|^(?:project|business|company|team|work|job|task|client|clients|responses|needs)$",
    re.IGNORECASE,
)


def title(tools: Tools, skills: list[str], level: str | None, text: str) -> str:
    """The title of a draft with these skills and level, for the client's (clean) text."""
    named = _named_role(text)
    role = named or _skill_role(tools, skills, text)
    if named and " " not in named and skills:  # "a developer" + Shopify -> Shopify Developer
        by_skill = _skill_role(tools, skills, text)
        if by_skill.lower().endswith(named.lower()):
            role = by_skill
        elif _completes(tools, named, _lead(skills, text)):  # an expert + OCR -> OCR Expert
            role = f"{_lead(skills, text)} {named}"
    prefix = {"expert": "Senior ", "entry": "Junior "}.get(level or "", "")
    if role.lower().startswith(LEVEL_WORDS):
        prefix = ""
    target = _target(text, role, named is not None)
    return f"{prefix}{role}{f' for {target}' if target else ''}"[:90]


def _named_role(text: str) -> str | None:
    """The role the client named; a level phrase ("niveau expert", "level: expert") is none."""
    for m in NAMED_ROLE.finditer(text):
        if LEVEL_NOUN.search(text, max(0, m.start() - 25), m.start()):
            continue
        words: list[str] = []
        for word in reversed(re.findall(r"[\w+#.'-]+|[^\w\s]", text[: m.start()])[-3:]):
            # a word of a name: "Node.js", "C#", and one that starts with a dot (".NET")
            if not re.fullmatch(r"\.?[\w+#'-]+(?:\.\w+)*", word) or word.lower() in NOT_ROLE:
                break
            if re.fullmatch(PERSON, word, re.IGNORECASE):
                break
            words.insert(0, word)
        noun = m.group("noun")
        if noun.lower() == "va":
            noun = "virtual assistant"
        return " ".join(_cap(w) for w in [*words, *noun.split()])
    return None


def _completes(tools: Tools, named: str, lead: str) -> bool:
    """Whether a skill may complete a bare named role ("an expert" + OCR -> OCR Expert).

    A developer or an engineer only with a skill of a trade that has them: "UX Design
    Developer" is no role.
    """
    if named.lower() not in GENERIC_ROLES:
        return False
    if named.lower() not in ("developer", "engineer"):
        return True
    skill = tools.taxonomy.get(lead)
    return ROLE_BY_CATEGORY.get(skill.category if skill else "", "").lower() == named.lower()


def _lead(skills: list[str], text: str) -> str:
    """The skill a title leads with: the first activity the client asked for, else the first."""
    asked = {w[:4] for w in re.findall(r"[^\W\d_]{4,}", text.lower())}
    return next(
        (s for s in skills if _is_activity(s) and s.rpartition(" ")[2].lower()[:4] in asked),
        skills[0],
    )


def _skill_role(tools: Tools, skills: list[str], text: str) -> str:
    if not skills:
        return "Freelancer"
    lead = _lead(skills, text)
    head, _, last = lead.rpartition(" ")
    agent = AGENT.get(last.lower())
    if agent is not None:
        return f"{head} {agent}".strip() if agent != "Support Specialist" else f"{lead} Specialist"
    if _is_activity(lead):
        return f"{lead} Specialist"
    skill = tools.taxonomy.get(lead)
    role = ROLE_BY_CATEGORY.get(skill.category if skill else "", "Specialist")
    if role.lower() in lead.lower():
        return lead
    return headline(lead, role)


def _is_activity(skill: str) -> bool:
    last = skill.rpartition(" ")[2]
    return last.lower() in AGENT or bool(ACTIVITY_ENDING.search(last))


def _target(text: str, role: str, named: bool) -> str | None:
    m = OBJECT.search(text) or (None if named else POSSESSION.search(text))
    if m is None:
        return None
    target = m.group(1).strip()
    stems = {w.lower()[:5] for w in role.split()}
    if NOT_TARGET.search(target):
        return None  # "looking for a data analyst" names the role, not what it is for
    if any(w.lower()[:5] in stems for w in target.split()):
        return None  # "YouTube Video Editor for YouTube videos"
    return target


def _cap(word: str) -> str:
    return word if any(c.isupper() for c in word) else word[:1].upper() + word[1:]
