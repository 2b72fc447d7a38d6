"""What a message asks for: one intent, read by explicit rules in several languages.

Rules, not a model, so that the same message always does the same thing and a person (or a
test) can see why. The order of the checks is the precedence: a pending action's yes or no
first, then questions about a ranking, then the drafting and search requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from tandem.companion.money import read_budget

IntentName = Literal[
    "confirm", "cancel", "explain", "proposal", "interview", "tips", "invite", "hire",
    "post", "match", "find", "refine", "draft_job", "edit_draft", "edit_proposal", "help",
    "private",
]  # fmt: skip


@dataclass(frozen=True)
class Intent:
    """An intent and the words it picked out (names, for example)."""

    name: IntentName
    slots: dict[str, str] = field(default_factory=dict)


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


YES = _re(
    r"^\s*(?:yes|yep|yeah|sure|confirm(?:ed)?|ok(?:ay)?|go ahead|do it|please do|"
    r"sí|si|oui|ja|sim|confirmar|confirmer|bestätigen|claro|d'accord)\b"
)
#: A yes that names its action confirms only that action ("post it" never confirms an invite).
YES_TO = {
    "post_job": _re(r"^\s*(?:post|publish|publica|publier)\s+(?:it|this|the job)\b"),
    "send_proposal": _re(r"^\s*send\s+(?:it|this|the proposal)\b"),
    "invite": _re(r"^\s*invite\s+(?:them|him|her)\b"),
    "hire": _re(r"^\s*hire\s+(?:them|him|her)\b"),
}
#: What Tandem never shares about a person: protected attributes and contact details.
_PRIVATE_FIELD = (
    r"(?:gender|sex|race|ethnicity|ethnic (?:origin|background)|religion|faith|age|"
    r"date of birth|birthday|disabilit(?:y|ies)|nationality|citizenship|pregnancy|"
    r"sexual orientation|marital status|e-?mail(?: address)?|(?:tele)?phone(?: number)?|"
    r"mobile(?: number)?|contact(?: details| info(?:rmation)?)?|(?:home )?address|whatsapp)"
)
#: A question about one person's private field ("what is the gender of the first one?",
#: "give me her email"): answered with a refusal in words, never read as a job to draft (a
#: trial's question became a draft titled "Freelancer", and the next one was added to it).
PRIVATE = _re(
    r"^\s*(?:what(?:'s|\s+is|\s+are)?|which|tell me|give me|show me|share|send me|"
    r"do you (?:know|have)|can you (?:tell|give|share|send)(?: me)?|may i (?:have|see|know)|"
    r"i (?:want|need) (?:to know )?)\b.*?\b(?:(?:his|her|their|[\w.-]+'s)\s+"
    + _PRIVATE_FIELD
    + r"|"
    + _PRIVATE_FIELD
    + r"\s+(?:of|for)\s+(?:the|this|that|him|her|them|[A-Z]\w*|#?\d))\b|^\s*how old\b"
)
#: Someone the companion listed: "the second one", "Freelancer 33", "#2", "that one".
_LISTED = (
    r"(?:(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|"
    r"top|next|\d+(?:st|nd|rd|th))\s+(?:one|freelancer|candidate|person|match|applicant)|"
    r"freelancer\s+#?\d+|#\d+|(?:this|that)\s+(?:one|freelancer|person|candidate|applicant))"
)
#: ... or a pronoun for them (only as a question's subject: "write the email for them" asks
#: for a draft, not for their address).
_PERSON = r"(?:" + _LISTED + r"|he|she|they)"
#: Words that name a protected group ("is the second one a woman?").
_GROUP = (
    r"(?:wom[ae]n|m[ae]n|male|female|non-?binary|trans(?:gender)?|gay|lesbian|straight|"
    r"married|single|pregnant|disabled|muslim|christian|jewish|hindu|buddhist|atheist|black|"
    r"white|asian|hispanic|latin[oa]|old|young|a (?:mother|father|parent))"
)
#: The same questions in the other forms a new-user check asked them: a yes/no question
#: about one person's group, "what gender is Freelancer 33?", "her email?", "email of the
#: second one" (each became a job draft, help text or an edit of the draft before).
PRIVATE_MORE = _re(
    r"^\s*(?:is|are|was|were)\s+"
    + _PERSON
    + r"\b.*?\b"
    + _GROUP
    + r"\b|^\s*(?:what|which)\s+"
    + _PRIVATE_FIELD
    + r"\s+(?:is|are|was|were|does|do)\b|^\s*(?:his|her|their)\s+"
    + _PRIVATE_FIELD
    + r"\b|\b"
    + _PRIVATE_FIELD
    + r"\s+(?:of|for)\s+"
    + _LISTED
    + r"\b"
)
NO = _re(
    r"^\s*(?:no|nope|cancel|stop|never mind|don't|do not|non|nein|não|nao|cancelar|annuler|"
    r"abbrechen)\b"
)
WHY = _re(
    r"\b(?:why|how come|por\s*qu[ée]|pourquoi|warum|por que)\b\s+(?:is|was|est|ist|está|esta)?\s*"
    r"(?P<a>.+?)\s+(?:ranked\s+|rated\s+|placed\s+|listed\s+|class[ée]e?\s+|)"
    r"(?:above|over|higher than|ahead of|before|better than|por encima de|antes que|"
    r"devant|avant|vor|über|acima de)\s+(?P<b>.+?)\s*[?.!]*\s*$"
)
PROPOSAL = _re(r"\b(?:proposal|cover letter|propuesta|proposition|angebot|carta de presentaci)")
#: A proposal request that asks for a new one, not an edit of the one waiting.
NEW_PROPOSAL = _re(
    r"\b(?:draft|write|new|another|redact|escribe|redacta|écris|rédige|schreib|escreva)\w*"
)
#: An edit's own verb ("make it more like the advice above" is no request for tips).
MAKE = _re(r"^\s*(?:please\s+)?(?:make|change|set|add|mention|remove|drop|shorten)\b")
INTERVIEW = _re(r"\b(?:interview|entrevista|entretien|vorstellungsgespr)")
TIPS = _re(
    r"\b(?:tips?|improve my profile|raise my match|more matches|better matches|advice|"
    r"consejos|conseils|tipps|dicas)\b"
)
INVITE = _re(
    r"^\s*(?:please\s+)?(?:invite|invitar|invita|inviter|einladen|lade)\s+(?P<who>.+?)"
    r"(?:\s+(?:to|a|à|zu)\s+(?:this|the|my|este|el|ce|le)\b.*)?\s*[.!]*\s*$"
)
HIRE = _re(
    r"^\s*(?:please\s+)?(?:hire|contratar|contrata|embaucher|engager|einstellen)\s+"
    r"(?P<who>.+?)\s*[.!]*\s*$"
)
POST = _re(
    r"\b(?:post|publish|publica|publicar|publier|veröffentlichen|veroffentlichen)\b"
    r"(?:\s+(?:it|this|the\s+(?:job|draft|post)|that|lo|la|le|es))?\s*[.!]*\s*$"
)
MATCH = _re(
    r"\b(?:who fits|best (?:matches|candidates)|candidates for this|talent for this|"
    r"match(?:es)? for this|for this job|candidatos|candidats|kandidaten)\b"
)
FIND = _re(
    r"\b(?:find|search|show me|look up|who can|recommend|which jobs|jobs for me|busco|buscar|"
    r"encuentra|encuéntrame|"
    r"cherche|trouve|trouver|suche|finde|procuro|encontre|cerco|cerchiamo|trova|trovami)\b"
)
#: While a draft is edited, only a message that starts by asking to find is a search.
FIND_FIRST = _re(
    r"^\s*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:find|search|show me|look up|"
    r"recommend|busca|busco|buscar|encuentra|cherche|trouve|suche|finde|procuro|encontre|"
    r"cerco|cerchiamo|trova|trovami)\b"
)
DRAFT = _re(
    r"\b(?:job post|post a job|draft|write a (?:job|post)|i need|we need|need someone|"
    r"need an?\b|looking for someone to|hire someone|budget|necesito|necesitamos|"
    r"j'ai besoin|nous avons besoin|ich brauche|wir brauchen|preciso|precisamos)\b"
)
#: A yes or no that goes on to change something ("no, the budget is $400") is an edit.
MORE_THAN_YES_NO = _re(
    r"^\s*(?:yes|yeah|sure|ok(?:ay)?|no|nope|sí|si|oui|non|ja|nein|sim|não|nao)\b[\s,.!:;-]*"
    r"(?P<rest>.*)$"
)
CANCEL_REST = _re(
    r"^\s*(?:not|never|nothing|thanks|thank\s+you|thx|forget|later|wait|leave|way|please|sorry|"
    r"problem|need|nevermind|abort|bye|quit|exit|scrap|discard|cancel\w*|annul\w*|grazie|valeu|"
    r"gracias|merci|danke|obrigad[oa])\b"
)
BUT = _re(r"^\s*(?:but|except|only|just|pero|mais|aber|mas|sauf|außer)\b")
#: A message that only changes something already there: an edit verb, then a field of a draft
#: ("make the budget $2,000", "cambia el presupuesto", "change le titre"), a pronoun ("make it
#: shorter") or a place in a list ("remove the second skill"), or a few words and no more ("add
#: Docker", "quita WordPress"). "Set up a Shopify store" or "add a payment page to my site,
#: budget $500" describe work instead.
EDIT_ONLY = _re(
    r"^\s*(?:please\s+|can\s+you\s+|could\s+you\s+)?"
    r"(?:make|change|set(?!\s+up)|add|remove|drop|delete|raise|lower|increase|reduce|cut|"
    r"rename|replace|swap|cambia|pon|añade|agrega|quita|elimina|sube|baja|ajoute|enlève|"
    r"retire|supprime|mets|modifie|change|füge|entferne|ändere|setze|streiche|mude|altere|"
    r"adicione|remova|tire)\b"
    r"(?:\s+(?:(?:the|el|la|los|las|le|les|das|die|den|der|o|a|os|as)\s+)?"
    r"(?:it|lo|le|la|es|o|budget|title|rate|price|duration|deadline|timeline|level|"
    r"description|category|skills?|languages?|presupuesto|t[íi]tulo|precio|duraci[óo]n|plazo|"
    r"nivel|descripci[óo]n|categor[íi]a|titre|prix|dur[ée]e|niveau|cat[ée]gorie|"
    r"comp[ée]tences?|titel|preis|dauer|kategorie|or[çc]amento|pre[çc]o|prazo|"
    r"first|second|third|fourth|fifth|last|\d+(?:st|nd|rd|th))\b"
    r"|(?:\s+[^\s,.;!?]+){1,3}\s*[.!]?\s*$)"
)
REFINE = _re(
    r"\b(?:cheaper|less expensive|more affordable|lower rate|must|should know|only|newcomers?|"
    r"new talent|available|job success|jss|overlap|time ?zone|under|below|max|up to|in|from|"
    r"más barato|moins cher|günstiger|solo|seulement|nur)\b|[$€£₹]"
)


def classify(
    text: str,
    *,
    pending: str | None,
    has_draft: bool,
    has_results: bool,
    has_job: bool,
    editing: bool = False,
    freelancer: bool = False,
) -> Intent:
    """The one intent of ``text`` given what the session holds (``pending``: the action kind).

    ``editing``: the draft is what the conversation is about (it was the last thing shown), so
    anything that is not a yes, a no, a question or a new search is an edit of it.
    ``freelancer``: a freelancer is asking, who posts no job: a search that states a total
    ("find me jobs with a budget over $2,000") stays a search for work.
    """
    if editing and _edits_after_yes_or_no(text):
        return Intent("edit_draft")
    if pending == "send_proposal" and _edits_after_yes_or_no(text):
        # "ok, change the rate to $45" asks for a change: in the terminal a bare yes sends
        return Intent("edit_proposal")
    if pending is not None:
        named = YES_TO.get(pending)
        if YES.search(text) or (named is not None and named.search(text)):
            return Intent("confirm")
        if NO.search(text):
            return Intent("cancel")
    m = WHY.search(text)
    if m:
        return Intent("explain", {"a": _name(m.group("a")), "b": _name(m.group("b"))})
    if PRIVATE.search(text) or PRIVATE_MORE.search(text):
        return Intent("private")
    if editing:
        return _while_editing(text, has_results=has_results, has_job=has_job)
    if edits_only(text) and pending != "send_proposal":
        # an edit changes what is there: the draft, else the search; never a new draft of it
        return Intent("edit_draft" if has_draft or not has_results else "refine")
    if pending == "send_proposal":
        return _while_proposing(text)
    if PROPOSAL.search(text):
        return Intent("proposal", {"text": text})
    if INTERVIEW.search(text):
        return Intent("interview", {"text": text})
    if TIPS.search(text):
        return Intent("tips", {"text": text})
    m = INVITE.search(text)
    if m:
        return Intent("invite", {"who": _name(m.group("who"))})
    m = HIRE.search(text)
    if m and has_results:
        return Intent("hire", {"who": _name(m.group("who"))})
    if has_draft and POST.search(text) and not FIND.search(text):
        return _post(text)
    if has_job and MATCH.search(text):
        return Intent("match")
    if FIND.search(text) and (freelancer or not states_a_job(text)):
        return Intent("find")
    if has_results and REFINE.search(text) and not DRAFT.search(text):
        return Intent("refine")
    if DRAFT.search(text) or len(text.split()) >= 6:
        return Intent("draft_job")
    return Intent("help")


#: Words that join an edit to the request to post after it ("remove Stripe, and then post it").
_JOINER_AT_END = _re(r"(?:^|(?<=\s)|(?<=[,;.&]))(?:and|then|now|also|y|luego|et|puis|und|dann|e)$")


def edit_before_post(text: str) -> str:
    """The edit a message asks for before it asks to post ("remove Stripe, and post it").

    Empty when the words before the request to post change nothing ("great, post it",
    "please post it"): only an edit's own shape counts (:data:`EDIT_ONLY`), so no thanks or
    praise is ever written into the post.
    """
    m = POST.search(text)
    if m is None:
        return ""
    rest = text[: m.start()].rstrip(" ,;.&!-")
    while (joiner := _JOINER_AT_END.search(rest)) is not None:
        rest = rest[: joiner.start()].rstrip(" ,;.&!-")
    return rest if rest and EDIT_ONLY.search(rest) else ""


def _post(text: str) -> Intent:
    """A request to post, carrying the edit to apply first, if it asks for one."""
    edit = edit_before_post(text)
    return Intent("post", {"edit": edit} if edit else {})


def edits_only(text: str) -> bool:
    """Whether ``text`` only changes something already there (:data:`EDIT_ONLY`, and short)."""
    return EDIT_ONLY.search(text) is not None and len(text.split()) <= 8


def states_a_job(text: str) -> bool:
    """Whether a request states a project: a total budget, or an amount and how long it lasts.

    "Je cherche un développeur React, budget 2500 dollars, environ 4 semaines" asks for a job
    to post, whatever its verb: a search filters people by their hourly rate, and a total is
    no rate. An hourly amount ("find me a Django developer under $50/h") stays a search, and
    so does a cap of no stated kind ("find a designer, up to $40, for 2 weeks": review 16),
    which the search reads as the hourly rate it most likely is. The budget reader itself
    calls an amount stated with how long the work lasts a fixed total.
    """
    budget = read_budget(text)
    return budget.kind == "fixed" and (budget.minimum, budget.maximum) != (None, None)


def _edits_after_yes_or_no(text: str) -> bool:
    """Whether a yes or no goes on to change the draft ("no, make it $400", "yes but expert").

    A no followed by words that do not cancel is a correction, one word included: "no Python"
    drops a suggested skill, the README's own example, where "no thanks" or "no way" cancels.
    A yes needs a clear sign of one (a "but", an amount, or a whole sentence) so that "yes, go
    ahead" still confirms.
    """
    m = MORE_THAN_YES_NO.match(text)
    if m is None:
        return False
    rest = m.group("rest").strip()
    if not rest or NO.search(rest) or POST.search(rest) or YES.search(rest):
        return False
    if not YES.search(text):
        return CANCEL_REST.search(rest) is None
    if len(rest.split()) < 2:
        return False
    return bool(BUT.search(rest) or re.search(r"\d|[$€£₹¥]", rest) or len(rest.split()) >= 4)


def _while_editing(text: str, *, has_results: bool, has_job: bool) -> Intent:
    m = INVITE.search(text)
    if m and has_results:
        return Intent("invite", {"who": _name(m.group("who"))})
    m = HIRE.search(text)
    if m and has_results:
        return Intent("hire", {"who": _name(m.group("who"))})
    if POST.search(text) and not FIND.search(text):
        return _post(text)
    if has_job and MATCH.search(text):
        return Intent("match")
    if FIND_FIRST.search(text):
        return Intent("find")
    return Intent("edit_draft")


def _while_proposing(text: str) -> Intent:
    """A message while a proposal waits for its Confirm: an edit of it, mostly.

    Unless it asks for something else by name (another draft, tips, interview questions, a
    search). Like a job draft's, a proposal draft survives a message it does not
    understand ("hello?").
    """
    if PROPOSAL.search(text) and NEW_PROPOSAL.search(text):
        return Intent("proposal", {"text": text})
    if INTERVIEW.search(text):
        return Intent("interview", {"text": text})
    if TIPS.search(text) and not MAKE.search(text):
        return Intent("tips", {"text": text})
    if FIND_FIRST.search(text):
        return Intent("find")
    return Intent("edit_proposal")


def _name(words: str) -> str:
    """A person as named in a question: without 'ranked', quotes and trailing punctuation."""
    cleaned = re.sub(r"^(?:the\s+|el\s+|la\s+|le\s+)", "", words.strip(), flags=re.I)
    return cleaned.strip(" \"'“”‘’?.!,")
