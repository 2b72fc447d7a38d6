"""The companion's conversation: stored sessions, one intent per message, confirmed actions.

Each message is read into one intent (:mod:`tandem.companion.intents`), answered by the
grounded tools (drafts, search, match, the decision log), and stored with the session's new
state so the REPL, the API and the web panel can all resume it. A message is redacted at the door,
before anything reads it: no email, phone or link reaches the stored message, the reply, the
session state, a search or the decision log. The companion acts only through the engine
acting for one user (:class:`tandem.engine.UserView`): what it reads and does is what that
user may read and do, and the user is the actor of every entry it causes. The
assistant says it is an AI when a session opens and on every reply's payload. Anything that
affects another person (posting a job, inviting, hiring, sending a proposal) becomes a
*pending action* that runs only when the person confirms it; any other answer leaves it undone.
Where there is a Confirm control (the API and the web panel: ``typed_yes=False``), only that
control confirms: a typed "yes" or "post it" is answered by pointing at it, so that nothing
affecting someone happens because a sentence was read as consent. In the terminal (no
buttons) typing yes at the prompt is the explicit control.
"""

from __future__ import annotations

import copy
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import pydantic

from tandem.companion.coaching import (
    Grounded,
    draft_proposal,
    interview_questions,
    profile_tips,
)
from tandem.companion.drafts import JobDraft, clean, draft_job, fields_line, implied_by
from tandem.companion.editing import START_OVER, edit, redraft, restates, starts_over
from tandem.companion.explain import compare
from tandem.companion.finding import rates_usd, refine, start
from tandem.companion.intents import YES, Intent, classify, edits_only
from tandem.companion.letters import edit_letter, stated_job_price
from tandem.companion.screen import from_log, resolve
from tandem.domain import Bid, Budget, Event, Job, MatchRanking, Proposal
from tandem.domain.fields import text_fault
from tandem.domain.money import amount_text
from tandem.errors import ConflictError, TandemError, ValidationError
from tandem.text import bounded_spaces, redact

if TYPE_CHECKING:
    from tandem.engine import Conversation, Message, TalentQuery, UserView

DISCLOSURE = (
    "Hi, I'm Tandem's AI assistant. I can draft a job post, find and compare talent, explain "
    "a ranking, draft a proposal, suggest interview questions and profile tips. I only say "
    "what your data shows, and nothing is posted, sent or hired until you confirm."
)
#: The same disclosure for a freelancer: what it can do on their side of the market.
FREELANCER_DISCLOSURE = (
    "Hi, I'm Tandem's AI assistant. I can find jobs that fit you, draft a proposal and edit it "
    "with you, and suggest profile tips. I only say what your data shows, and nothing is sent "
    "until you confirm."
)
HELP = (
    'Try: "I need a logo for my bakery, budget $300, in 2 weeks" (a job post draft); '
    '"find me a Django developer under $50/h who overlaps with CET", then "cheaper", '
    '"must know Stripe", "only 90%+ job success"; "why is Ana above Ravi?"; '
    '"interview questions for Ana"; "invite Ana".'
)
#: What a freelancer can ask for: their side of the market, never a client's.
FREELANCER_HELP = (
    'Try: "find me Django jobs" or "which jobs fit me?"; "draft a proposal for" a job\'s id, '
    'then "make it shorter", "change the rate to $45", "mention my Django experience"; '
    '"any tips to improve my profile?".'
)
#: A freelancer's search is for work: jobs, not people.
JOB_WORDS = re.compile(
    r"\b(?:jobs?|work|gigs?|projects?|clients?|openings?|contracts?|trabajos?|empleos?|"
    r"proyectos?|emplois?|missions?|travail|Jobs?|Aufträge|Arbeit|trabalhos?|vagas?)\b",
    re.IGNORECASE,
)
GONE = "that action is no longer waiting for confirmation"
#: The answer to a question about a person's protected attributes or contact details.
PRIVATE_REPLY = (
    "I don't share that: Tandem does not share a person's gender, age, ethnicity, religion, "
    "disability or other protected attributes (they are never shown, and no score reads them; "
    "when the marketplace turns on its exposure policy, it re-orders lists by groups' exposure "
    "as a whole, never shown per person), "
    "nor their email, phone number or other contact details. To reach someone, use Message or "
    "Invite, which the marketplace delivers. Ask me about their skills, rate or why they rank "
    "where they do."
)
#: Per reply intent of a confirmed action: its ``data`` key of what it made, that thing's
#: name, and the key a repeated Confirm's refusal names it by (``ConflictError.created``).
RESULTS: dict[str, tuple[str, str, str]] = {
    "posted": ("job_id", "job", "job_id"),
    "sent": ("id", "proposal", "proposal_id"),
}
#: A record id in a message ("f000001", "job-12"): a word with a digit, hyphens inside it. Tried
#: only from the first word boundary of each run of word characters and hyphens (the leading
#: hyphens are skipped without backtracking): from every later boundary of the run ("a-a-a-...")
#: each try read the rest of the run before failing, n²/2 steps (0.3 s for a 4,000-character
#: message, 5 s at 16,000). A run holds at most one id: the longest from its first boundary.
ID_TOKEN = re.compile(r"(?<![\w-])-*+(\b[\w-]*\d[\w-]*\b)")


@dataclass
class Reply:
    """What the assistant answers to one message."""

    text: str
    intent: str
    facts: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def payload(self, pending: dict[str, Any] | None) -> dict[str, Any]:
        """What is stored with the message (and returned by the API)."""
        return {
            "ai": True,
            "intent": self.intent,
            "facts": self.facts,
            "notes": self.notes,
            "data": self.data,
            "pending": pending,
        }


@dataclass
class Turn:
    """A stored exchange: the person's message and the assistant's reply."""

    conversation: Conversation
    said: Message
    reply: Message


class Companion:
    """Opens sessions and answers messages, storing both, as one user.

    ``acting`` is the engine acting for that user (:meth:`Engine.as_user`): every read,
    ranking and side effect (matches, searches, events, posted jobs, proposals) is checked
    against the access table and logged with that user as the actor.
    """

    def __init__(self, acting: UserView, *, typed_yes: bool = True) -> None:
        self.acting = acting.through("companion")
        #: Whether a typed yes confirms a pending action (the terminal), or only the Confirm
        #: control's ``confirm=<action id>`` does (the API and the web panel).
        self.typed_yes = typed_yes

    # sessions ----------------------------------------------------------------------------
    def open(
        self,
        *,
        job_id: str | None = None,
        freelancer_id: str | None = None,
        client_id: str | None = None,
        request_id: str | None = None,
    ) -> tuple[Conversation, Message]:
        """A new session, optionally about a job or for a freelancer; it opens with disclosure.

        A client's session is about its own job, a freelancer's for its own profile
        (:meth:`UserView.companion_context`). ``request_id``: the ranking the page shows
        (from the decision log), so that "invite the second one" means the second person on
        screen.
        """
        job_id, freelancer_id, client_id = self.acting.companion_context(
            job_id, freelancer_id, client_id
        )
        state: dict[str, Any] = {
            "context": {"job_id": job_id, "freelancer_id": freelancer_id, "client_id": client_id},
            "query": None,
            "request_id": None,
            "shown": [],
            "draft": None,
            "body": "",
            "title_fixed": False,
            "focus": None,
            "pending": None,
        }
        if request_id:
            self._look_at(state, request_id)
        hello = FREELANCER_DISCLOSURE if self.acting.who.role == "freelancer" else DISCLOSURE
        conv = self.acting.open_companion_session(state, hello)
        _, messages = self.acting.companion_session(conv.id)
        return conv, messages[0]

    def get(self, session_id: str) -> Conversation:
        """A session of this user (another user's session is reported as not found)."""
        conv, _ = self.acting.companion_session(session_id, say=True)
        return conv

    def history(self, session_id: str) -> tuple[Conversation, list[Message]]:
        """One's own session and its messages (to resume it)."""
        self.get(session_id)
        return self.acting.companion_session(session_id)

    def say(
        self,
        session_id: str,
        text: str,
        *,
        confirm: str | None = None,
        request_id: str | None = None,
    ) -> Turn:
        """Answer one message and store the exchange with the new state.

        ``confirm`` is a pending action's id (what a Confirm button sends): it confirms that
        action and no other, so a stale button cannot confirm something else. ``request_id``
        is the ranking the page shows now: when the page shows a new one (a reload), the
        session works from it; otherwise from whatever it showed last. A confirmation with
        text is refused (422): the transcript stores a press as "Confirmed: ...", and a typed
        message beside it would read as what the person said when the action ran.
        """
        conv = self.get(session_id)
        state = copy.deepcopy(conv.state)
        if request_id and request_id != state.get("screen"):
            self._look_at(state, request_id)
        # A press of the Confirm control is stored as what it did, never as a typed "yes":
        # the transcript must not show a typed message acted on right after saying it never is.
        control: dict[str, Any] = {}
        if confirm is not None:
            if text.strip():  # a trial stored "actually cancel" right before "Done: hire ..."
                raise ValidationError(
                    "a confirmation carries no text: press Confirm alone, or send the message "
                    "without confirm (nothing is done on a typed message)",
                    field="text",
                )
            pending = state["pending"]
            if pending is None or pending["id"] != confirm:
                raise self._gone(conv.id, confirm)
            if pending["kind"] == "hire":  # hired meanwhile (a card, another tab): 409, not run
                self.acting.refuse_second_hire(
                    pending["payload"]["job_id"], pending["payload"]["freelancer_id"]
                )
            text, control = f"Confirmed: {pending['summary']}", {"control": "confirm"}
        text = text.strip()
        if not text:
            raise ValidationError("say something first")
        if len(text) > 4000:
            raise ValidationError("that message is too long (at most 4,000 characters)")
        if (fault := text_fault(text)) is not None:  # stored and searched: the records' rule
            raise ValidationError(f"text: {fault}", field="text")
        # at the door: nothing below sees a contact detail, nor a run of blanks that would
        # cost the readers' patterns quadratic time (tandem.text.spaces)
        text = bounded_spaces(redact(text))
        said: tuple[str, str, dict[str, Any]] = ("user", text, control)
        intent = Intent("confirm") if confirm is not None else self._classify(text, state)
        if intent.name == "confirm" and (confirm is not None or self._typed_yes(text, state)):
            return self._confirm(conv, said, state)
        try:
            if intent.name == "confirm" and self.typed_yes:  # "post it" to a draft: asked again
                draft = state["draft"]
                reply = Reply(f"Post “{draft['title']}” now? Say yes to confirm, or no.", "post")
            elif intent.name == "confirm":  # typed, where only the Confirm control confirms
                reply = Reply(
                    f"Ready when you are: press Confirm to {state['pending']['summary']}, or "
                    "Cancel. I only act on the Confirm button, never on a typed message.",
                    "awaiting_confirm",
                )
            else:
                reply = self._answer(text, intent, state)
        except TandemError as exc:  # a request it cannot serve is answered, not crashed on
            reply = Reply(str(exc), "error")
        stored_said, answer = self.acting.append_companion_turn(
            conv, [said, ("assistant", reply.text, reply.payload(state["pending"]))], state
        )
        return Turn(conv, stored_said, answer)

    def _typed_yes(self, text: str, state: dict[str, Any]) -> bool:
        """Whether a typed message confirms the pending action (the terminal only).

        A yes does. "Post it" to a draft that waits for a yes is asked once more instead: the
        draft was shown with "say yes", and the README's order is "post it", then the yes (a
        trial user saw a typed "post it" post the job at once).
        """
        if not self.typed_yes:
            return False
        pending = state.get("pending") or {}
        return pending.get("kind") != "post_job" or YES.search(text) is not None

    def _confirm(
        self,
        conv: Conversation,
        said: tuple[str, str, dict[str, Any]],
        state: dict[str, Any],
    ) -> Turn:
        """Claim the pending action, run it, then store the reply.

        The claim stores the yes with the action removed from the session, conditional on the
        session being as it was loaded: of two confirmations racing (two tabs, a double click)
        exactly one claims it, and only the one that claimed it runs the side effect.
        """
        action = state["pending"]
        state["pending"] = None
        try:
            [stored_said] = self.acting.append_companion_turn(conv, [said], state)
        except ConflictError as exc:
            raise ConflictError(GONE) from exc
        try:
            reply, effects = self._run(action, state)
        except TandemError as exc:
            reply, effects = Reply(f"I did not {action['summary']}: {exc}", "error"), {}
        except pydantic.ValidationError as exc:  # a drafted value today's input rules refuse
            refused = ValidationError.first_of(exc.errors(), "")  # no "record:" before the words
            refusal = str(refused).removeprefix(": ")
            reply, effects = Reply(f"I did not {action['summary']}: {refusal}", "error"), {}
        payload = reply.payload(None) | {"action": action["id"]}  # found by a repeated Confirm
        for _ in range(3):  # another message may land meanwhile: the reply is stored regardless
            fresh = copy.deepcopy(conv.state) | effects
            try:
                [answer] = self.acting.append_companion_turn(
                    conv, [("assistant", reply.text, payload)], fresh
                )
                return Turn(conv, stored_said, answer)
            except ConflictError:
                conv = self.get(conv.id)
        raise ConflictError(f"session {conv.id!r} is too busy to store the reply; reload it")

    def _gone(self, session_id: str, action_id: str) -> ConflictError:
        """The refusal of a Confirm whose action no longer waits, with what it did if it ran.

        A client that confirmed, timed out and pressed again must find the job or proposal
        its first press made, not post it twice: the reply to the press that ran is stored
        with the action's id (:meth:`_confirm`), and what it created is named here.
        """
        _, messages = self.acting.companion_session(session_id)
        done = next(
            (m for m in reversed(messages)
             if m.role == "assistant" and m.payload.get("action") == action_id),
            None,
        )  # fmt: skip
        if done is None:
            return ConflictError(GONE)
        data = done.payload.get("data") or {}
        intent = done.payload.get("intent")
        key, noun, field = RESULTS.get(str(intent), ("event_id", "event", "event_id"))
        made = data.get(key)
        if not isinstance(made, str):
            return ConflictError(f"{GONE}: it was confirmed already, and answered: {done.text}")
        return ConflictError(
            f"{GONE}: it was confirmed already, and made {noun} {made}", created={field: made}
        )

    def _look_at(self, state: dict[str, Any], request_id: str) -> None:
        """Work from the ranking a page showed (read from the decision log)."""
        seen = from_log(self.acting, request_id, job_id=state["context"]["job_id"])
        state["shown"], state["request_id"], state["screen"] = seen.people, request_id, request_id
        state["focus"] = "results"

    # dispatch ----------------------------------------------------------------------------
    def _classify(self, text: str, state: dict[str, Any]) -> Intent:
        return classify(
            text,
            pending=state["pending"]["kind"] if state["pending"] else None,
            has_draft=state["draft"] is not None,
            has_results=bool(state["shown"]),
            has_job=state["context"]["job_id"] is not None,
            editing=state["draft"] is not None and state.get("focus") != "results",
            freelancer=self.acting.who.role == "freelancer",
        )

    def _answer(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        if state["pending"] is not None and intent.name not in ("cancel", "edit_proposal"):
            state["pending"] = None  # moving on leaves the action undone
        answers = state.get("asked") and intent.name in ("help", "draft_job", "refine")
        if answers and self._id_in(text, "jobs") is not None:
            return self._on_which_job(text, intent, state)
        state.pop("asked", None)  # a question left unanswered is dropped
        handler = getattr(self, f"_on_{intent.name}")
        reply: Reply = handler(text, intent, state)
        return reply

    def _on_private(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        """A question about a person's protected attribute or contact details: not shared."""
        return Reply(PRIVATE_REPLY, "private")

    def _on_help(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        return Reply(self._help(), "help")

    def _help(self) -> str:
        """Suggestions for this person's side: a freelancer is never told to hire someone."""
        return FREELANCER_HELP if self.acting.who.role == "freelancer" else HELP

    # drafting a job ------------------------------------------------------------------------
    def _on_draft_job(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        if state["draft"] is not None and restates(self._request(state), text):
            return self._on_edit_draft(text, intent, state)
        draft = draft_job(self.acting, text)
        state["request"] = clean(text).text
        return self._show_draft(state, draft, state["request"], False, None)

    def _on_edit_draft(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        if state["draft"] is None and self.acting.who.role == "freelancer":  # no job drafts
            return Reply(  # "add Docker skill", "change my rate": their profile's, not here
                "I do not change profiles here: edit your skills and rate on your profile "
                "page. " + self._help(),
                "help",
            )
        if state["draft"] is None:  # "make the budget $2,000" before any draft: nothing to edit
            return Reply(
                "There is no job draft to change yet. Describe the job first (“I need a "
                "React developer for a dashboard, budget $2,500, 4 weeks”), then tell me what "
                "to change.",
                "help",
            )
        old = JobDraft(**state["draft"])
        body, fixed = self._body(state), bool(state.get("title_fixed"))
        if START_OVER.search(text):
            state["draft"], rest = None, starts_over(text)
            if len(rest.split()) >= 4:
                return self._on_draft_job(rest, intent, state)
            return Reply("I set that draft aside: tell me about the new job.", "edit_draft")
        if restates(self._request(state), text):
            edited = redraft(self.acting, old, text, title_fixed=fixed)
            state["request"] = edited.body
        else:
            edited = edit(self.acting, old, body, text, title_fixed=fixed)
        if not edited.changes:
            state["pending"] = _pending("post_job", f"post the job “{old.title}”", {})
            state["focus"] = "draft"
            said = "; ".join(edited.remarks) + ": nothing changed." if edited.remarks else ""
            return Reply(
                said
                or "I did not see a change to the draft in that. Say what to change (“the "
                "budget is $400”, “expert level”, “add Figma”, “drop WordPress”, “3 weeks "
                "instead”, “call it …”), or "
                + self._ask("“post it”.", "press Confirm to publish it."),
                "edit_draft",
                data={"draft": old.as_dict(), "changes": []},
            )
        return self._show_draft(
            state, edited.draft, edited.body, edited.title_fixed, edited.changes, edited.asides
        )

    def _show_draft(
        self,
        state: dict[str, Any],
        draft: JobDraft,
        body: str,
        title_fixed: bool,
        changes: list[str] | None,
        asides: list[str] | None = None,
    ) -> Reply:
        """Hold ``draft`` as the session's draft, waiting for a yes, and show it.

        ``changes``: what an edit changed (None for a new draft), said first, with ``asides``.
        """
        state["draft"], state["body"], state["title_fixed"] = asdict(draft), body, title_fixed
        state["focus"] = "draft"
        state["pending"] = _pending("post_job", f"post the job “{draft.title}”", {})
        edited = changes is not None
        lines = [
            " ".join([f"Updated the draft: {'; '.join(changes)}.", *(asides or [])])
            if changes
            else "",
            f"Title: {draft.title}" if edited else f"Here is a draft: “{draft.title}”.",
            draft.description,
            fields_line(draft),
            self._ask("Say “post it” to publish it", "Press Confirm to publish it")
            + ", or tell me what to change.",
        ]
        return Reply(
            "\n\n".join(line for line in lines if line),
            "edit_draft" if edited else "draft_job",
            self._sources(draft),
            draft.notes,
            {"draft": draft.as_dict()} | ({"changes": changes} if edited else {}),
        )

    def _sources(self, draft: JobDraft) -> list[dict[str, str]]:
        """Where each filled field comes from: the message, or the skill that implies it."""
        by = implied_by(self.acting, draft)
        return [
            {"claim": k, "source": f"implied by {by[k[6:]]}" if k[6:] in by else "your message"}
            if k.startswith("skill ")
            else {"claim": k, "source": "your message"}
            for k in _filled(draft)
        ]

    @classmethod
    def _request(cls, state: dict[str, Any]) -> str:
        """The request as the client last stated it in full (what a restatement repeats)."""
        return str(state.get("request") or cls._body(state))

    @staticmethod
    def _body(state: dict[str, Any]) -> str:
        """The client's words the draft's description is written from (older sessions: raw)."""
        if "body" in state:
            return str(state["body"])
        return clean(str(state.get("request_text", ""))).text

    # finding -------------------------------------------------------------------------------
    def _on_find(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        freelancer_id = state["context"]["freelancer_id"]
        if self.acting.who.role == "freelancer" and freelancer_id and JOB_WORDS.search(text):
            return self._find_jobs(text, freelancer_id)
        query, changes = start(self.acting, text)
        return self._search(query, changes, state, "find")

    def _on_refine(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        if state["query"] is None:
            return self._on_find(text, intent, state)
        from tandem.engine import TalentQuery

        current = TalentQuery(**state["query"])
        query, changes = refine(self.acting, current, text, state.get("rates_usd", []))
        if not changes and edits_only(text):
            return Reply(
                "There is no job draft to change: what I showed you is a search, and it "
                "filters by hourly rate, skills, job success, country and time zone (“under "
                "$40/h”, “must know Docker”). To post a job, describe it with its budget.",
                "help",
            )
        if not changes:
            return Reply(
                "I did not understand that as a change to the search. " + self._help(), "help"
            )
        return self._search(query, changes, state, "refine")

    def _search(
        self, query: TalentQuery, changes: list[str], state: dict[str, Any], intent: str
    ) -> Reply:
        ranking = self.acting.search_talent(query)
        state["query"] = asdict(query)
        head = "Filters: " + ("; ".join(changes) if changes else "none") + "."
        return self._show(ranking, state, head, intent, {"query": asdict(query)})

    def _find_jobs(self, text: str, freelancer_id: str) -> Reply:
        """Open jobs for a freelancer: with the skills the message names, else for the profile."""
        from tandem.engine import JobQuery

        skills = self.acting.extractor.names(text)
        if skills:
            ranking = self.acting.search_jobs(JobQuery(skills=skills, top=5))
            head = f"Open jobs asking for {', '.join(skills)}:"
        else:
            ranking = self.acting.serve_recommend(freelancer_id, top=5)
            head = "Open jobs ranked for your profile:"
        if not ranking.results:
            return Reply("I found no open job for that. " + FREELANCER_HELP, "find")
        lines = [f"{i}. {r.title} ({r.job_id})" for i, r in enumerate(ranking.results, 1)]
        tail = f"Say “draft a proposal for {ranking.results[0].job_id}” to answer one."
        return Reply(
            "\n".join([head, *lines, "", tail]),
            "find",
            [
                {"claim": r.job_id, "source": f"decision {ranking.request_id}"}
                for r in ranking.results
            ],
            data={"jobs": [r.job_id for r in ranking.results], "request_id": ranking.request_id},
        )

    def _on_match(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        job_id = state["context"]["job_id"]
        ranking = self.acting.serve_match(job_id, top=10)
        job = self.acting.job(job_id)
        return self._show(ranking, state, f"Best matches for “{job.title}”.", "match", {})

    def _show(
        self,
        ranking: MatchRanking,
        state: dict[str, Any],
        head: str,
        intent: str,
        data: dict[str, Any],
    ) -> Reply:
        state["request_id"] = ranking.request_id
        state["focus"] = "results"
        state["shown"] = [
            {"id": r.freelancer_id, "name": r.name, "title": r.title} for r in ranking.results
        ]
        state["rates_usd"] = rates_usd(ranking)
        lines = [head]
        facts = []
        for n, r in enumerate(ranking.results[:5], start=1):
            why = "; ".join(x.text for x in r.reasons[:2])
            lines.append(f"{n}. {r.name}: {r.title}, {r.hourly_rate:g} {r.currency}/h ({why})")
            facts.append(
                {"claim": f"#{n} {r.freelancer_id}", "source": f"decision {ranking.request_id}"}
            )
        if ranking.policy_note:  # the list is not all in score order: said of it as a whole
            lines.append(ranking.policy_note)
        if not ranking.results:
            lines.append("Nobody matches all of that; loosen a filter (“show newcomers too”).")
        else:
            lines.append("Ask “why is A above B?”, “interview questions for A” or “invite A”.")
        data |= {
            "request_id": ranking.request_id,
            "model_version": ranking.model_version,
            "results": [r.model_dump() for r in ranking.results],
        }
        if ranking.policy_note:  # as the API's ranking carries it: left out when unset
            data["policy_note"] = ranking.policy_note
        return Reply("\n".join(lines), intent, facts, [f"Ranked by {ranking.ranker}."], data)

    # explaining and coaching ------------------------------------------------------------------
    def _on_explain(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        if state["request_id"] is None:
            return Reply(
                "I can only explain a ranking I showed you: ask me to find or match first.",
                "explain",
            )
        a = resolve(intent.slots["a"], state["shown"])
        b = resolve(intent.slots["b"], state["shown"])
        return _grounded(compare(self.acting, state["request_id"], a["id"], b["id"]), "explain")

    def _on_interview(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        job_id = state["context"]["job_id"] or self._id_in(text, "jobs")
        if job_id is None:
            raise ValidationError("which job? Open the job's page or name its id")
        person = self._person_in(text, state)
        return _grounded(interview_questions(self.acting, job_id, person), "interview")

    def _on_proposal(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        ctx = state["context"]
        job_id = ctx["job_id"] or self._id_in(text, "jobs")
        freelancer_id = ctx["freelancer_id"] or self._id_in(text, "freelancers")
        if job_id is None or freelancer_id is None:
            raise ValidationError("a proposal needs a job and a freelancer: name their ids")
        grounded = draft_proposal(self.acting, freelancer_id, job_id)
        payload: dict[str, Any] = {
            "job_id": job_id,
            "freelancer_id": freelancer_id,
            "cover_letter": grounded.text,
        }
        budget = self.acting.job(job_id).budget
        price = stated_job_price(grounded.text)
        if budget is not None and budget.type == "fixed" and price is not None:
            # the letter's price for the whole job is what the proposal bids, as after an edit
            payload["bid"] = {"amount": price[0], "type": "fixed", "currency": price[1]}
        state["pending"] = _pending(
            "send_proposal", f"send this proposal for job {job_id}", payload
        )
        reply = _grounded(grounded, "proposal")
        say = self._ask("Say “send it”", "Press Confirm")
        reply.text += f"\n\n{say} to submit it as your proposal, or edit it first."
        return reply

    def _on_edit_proposal(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        """Edit the waiting proposal's letter; it keeps waiting for Confirm either way.

        A changed letter waits under a new id, so a Confirm pressed under the old text cannot
        send the new one unseen; an unchanged one keeps its id.
        """
        waiting = state["pending"]
        budget = self.acting.job(waiting["payload"]["job_id"]).budget
        fixed = budget is not None and budget.type == "fixed"
        edited = edit_letter(waiting["payload"]["cover_letter"], text, fixed_price=fixed)
        say = self._ask("Say “send it”", "press Confirm")
        if edited.hourly_on_fixed and budget is not None:
            top = budget.max if budget.max is not None else budget.min
            shown = f" ({amount_text(top)} {budget.currency} for the whole job)" if top else ""
            return Reply(
                f"This job pays a fixed price{shown}, so your proposal bids one amount for "
                "the whole job, not a rate per hour: I left your bid as it was. Say the "
                "amount for the whole job (“bid $1,500 for the whole job”), or "
                f"{say} to submit it as it is.",
                "edit_proposal",
                data={"cover_letter": waiting["payload"]["cover_letter"], "changes": []},
            )
        if not edited.changes:
            price = "“bid $1,500 for the whole job”" if fixed else "“change the rate to $45”"
            return Reply(
                "I did not see a change to the proposal in that. Say what to change (“make it "
                f"shorter”, {price}, “mention my Django experience”), or "
                f"{say} to submit it as it is.",
                "edit_proposal",
                data={"cover_letter": waiting["payload"]["cover_letter"], "changes": []},
            )
        payload = waiting["payload"] | {"cover_letter": edited.letter}
        if edited.rate is not None:  # the letter's rate is what the proposal bids
            payload["bid"] = {
                "amount": edited.rate[0],
                "type": "fixed" if edited.per == "job" else "hourly",
                "currency": edited.rate[1],
            }
        state["pending"] = _pending("send_proposal", waiting["summary"], payload)
        return Reply(
            f"Updated the proposal: {'; '.join(edited.changes)}.\n\n{edited.letter}\n\n"
            f"{say[0].upper() + say[1:]} to submit it as your proposal, or tell me what else "
            "to change.",
            "edit_proposal",
            data={"cover_letter": edited.letter, "changes": edited.changes},
        )

    def _on_tips(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        freelancer_id = state["context"]["freelancer_id"] or self._id_in(text, "freelancers")
        if freelancer_id is None:
            raise ValidationError("tips for whom? Name the freelancer's id")
        return _grounded(profile_tips(self.acting, freelancer_id), "tips")

    # actions that need a yes ---------------------------------------------------------------
    def _on_invite(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        return self._propose_event("invite", text, intent.slots["who"], state)

    def _on_hire(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        return self._propose_event("hire", text, intent.slots["who"], state)

    def _on_which_job(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        """The answer to "which job?": the person asked about before, for the job named now."""
        asked = state.pop("asked", None) or {}
        return self._propose_event(asked["kind"], text, asked["who"], state)

    def _propose_event(self, kind: str, text: str, named: str, state: dict[str, Any]) -> Reply:
        """Ask for a yes to invite or hire someone shown, for the session's job or one named."""
        job_id = self._id_in(text, "jobs") or state["context"]["job_id"]
        named = re.sub(r"\s+(?:to|for|on|a|à|zu|para|pour|für)\s+(?:job\s+)?\S*\d\S*$", "", named)
        person = resolve(named, state["shown"])
        if job_id is None:
            state["asked"] = {"kind": kind, "who": person["id"]}
            return Reply(
                f"Which job should I {kind} {person['name']} ({person['id']}) for? Tell me the "
                "job's id (or open the job's page and ask there).",
                kind,
                [{"claim": person["id"], "source": f"decision {state['request_id']}"}],
            )
        job = self.acting.job(job_id)
        try:  # a closed job, or someone hired on it already, is said now, not at Confirm
            self.acting.refuse_closed_job(job_id)
            if kind == "hire":
                self.acting.refuse_second_hire(job_id, person["id"])
        except ConflictError as exc:
            return Reply(
                f"I will not offer that: {exc}.",
                kind,
                [{"claim": person["id"], "source": f"job {job_id}"}],
            )
        position = next(i for i, p in enumerate(state["shown"], 1) if p["id"] == person["id"])
        state["pending"] = _pending(
            kind,
            f"{kind} {person['name']} ({person['id']}) for job {job_id}",
            {
                "job_id": job_id,
                "freelancer_id": person["id"],
                "request_id": state["request_id"],
                "position": position,
            },
        )
        return Reply(
            f"Shall I {kind} {person['name']} (#{position} of the ranking you saw) for "
            f"“{job.title}” ({job_id})? "
            + self._ask("Say yes to confirm, or no.", "Press Confirm to do it, or Cancel."),
            kind,
            [{"claim": person["id"], "source": f"decision {state['request_id']}"}],
        )

    def _on_post(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        """Ask to confirm posting, after applying an edit the message asks for first.

        "remove Stripe, and post it" removes Stripe and shows the draft before asking, so what
        the confirmation posts is what the person asked for.
        """
        edited: Reply | None = None
        if intent.slots.get("edit"):
            edited = self._on_edit_draft(intent.slots["edit"], Intent("edit_draft"), state)
        draft = state["draft"]
        state["pending"] = _pending("post_job", f"post the job “{draft['title']}”", {})
        ask = self._ask("Say yes to confirm, or no.", "Press Confirm to post it, or Cancel.")
        question = f"Post “{draft['title']}” now? {ask}"
        if edited is None or not edited.data.get("changes"):
            return Reply(question, "post")
        shown = edited.text.rsplit("\n\n", 1)[0]  # the draft, without "say post it" again
        return Reply(f"{shown}\n\n{question}", "post", edited.facts, edited.notes, edited.data)

    def _ask(self, typed: str, button: str) -> str:
        """How to confirm, as this face confirms: typing yes, or the Confirm control."""
        return typed if self.typed_yes else button

    def _on_cancel(self, text: str, intent: Intent, state: dict[str, Any]) -> Reply:
        what = state["pending"]["summary"]
        state["pending"] = None
        return Reply(f"Cancelled: I did not {what}.", "cancel")

    def _run(self, action: dict[str, Any], state: dict[str, Any]) -> tuple[Reply, dict[str, Any]]:
        """Do a claimed action; the reply and the session keys it changes."""
        kind, payload = action["kind"], action["payload"]
        if kind == "post_job":
            job = self._post(state)
            reply = Reply(
                f"Posted “{job.title}” as job {job.id}. Ask me for the best matches for it.",
                "posted",
                data={"job_id": job.id},
            )
            return reply, {"context": state["context"] | {"job_id": job.id}, "draft": None}
        now = datetime.now(UTC)
        if kind == "send_proposal":
            proposal = Proposal(
                id=f"prop-{uuid.uuid4().hex[:12]}",
                job_id=payload["job_id"],
                freelancer_id=payload["freelancer_id"],
                created_at=now,
                cover_letter=payload["cover_letter"],
                bid=Bid.model_validate(payload["bid"]) if payload.get("bid") else None,
                source="organic",
            )
            self.acting.submit_proposal(proposal)
            return Reply(f"Sent: proposal {proposal.id}.", "sent", data={"id": proposal.id}), {}
        event = self.acting.record_event(
            Event(
                id=f"{kind}-{uuid.uuid4().hex[:12]}",
                ts=now,
                type=kind,
                job_id=payload["job_id"],
                freelancer_id=payload["freelancer_id"],
                actor="client",
                surface="companion",
                position=payload["position"],
                request_id=payload["request_id"],
            )
        )
        return Reply(f"Done: {action['summary']}.", f"{kind}d", data={"event_id": event.id}), {}

    def _post(self, state: dict[str, Any]) -> Job:
        d = state["draft"]
        client_id = state["context"]["client_id"]
        if client_id and not self.acting.known_ids("clients", [client_id]):
            client_id = None
        budget = None
        if d["budget_type"] and (d["budget_min"] is not None or d["budget_max"] is not None):
            budget = Budget(
                type=d["budget_type"],
                min=d["budget_min"],
                max=d["budget_max"],
                currency=d["currency"] or "USD",
            )
        job = Job(
            id=f"job-{uuid.uuid4().hex[:12]}",
            client_id=client_id,
            title=d["title"],
            description=d["description"],
            skills=d["skills"],
            budget=budget,
            duration_weeks=d["duration_weeks"],
            hours_per_week=d.get("hours_per_week"),  # older sessions' drafts had none
            experience_level=d["experience_level"],
            languages=d["languages"],
            category=d.get("category"),  # older sessions' drafts had none
            created_at=datetime.now(UTC),
            excluded_skills=d.get("removed_skills", []),
        )
        return self.acting.save_job(job, create=True)

    # lookups ---------------------------------------------------------------------------------
    def _id_in(self, text: str, kind: Literal["jobs", "freelancers"]) -> str | None:
        tokens = ID_TOKEN.findall(text)
        found = self.acting.known_ids(kind, tokens)
        return next((t for t in tokens if t in found), None)

    def _person_in(self, text: str, state: dict[str, Any]) -> str:
        known = self._id_in(text, "freelancers")
        if known is not None:
            return known
        m = re.search(r"\b(?:for|with|of|para|pour|für)\s+(.+?)\s*[?.!]*$", text, re.I)
        if m is None:
            raise ValidationError("for whom? Name someone I showed you, or their id")
        return str(resolve(m.group(1), state["shown"])["id"])


def _pending(kind: str, summary: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex[:12], "kind": kind, "summary": summary, "payload": payload}


def _grounded(result: Grounded, intent: str) -> Reply:
    return Reply(result.text, intent, result.facts, result.notes)


def _filled(draft: JobDraft) -> list[str]:
    keys = (
        "budget_type",
        "budget_min",
        "budget_max",
        "currency",
        "duration_weeks",
        "hours_per_week",
    )
    facts = [f"{k}={getattr(draft, k)}" for k in keys if getattr(draft, k) is not None]
    if draft.experience_level:
        facts.append(f"experience_level={draft.experience_level}")
    return facts + [f"skill {s}" for s in draft.skills]
