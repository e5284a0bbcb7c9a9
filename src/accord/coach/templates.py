"""Accord's own reply templates: used when the playbook has none, or when its one does not pass the coach.

Placeholders: the playbook's ({client_name} {concern} {next_update} {offer} {our_name} {case_ref} {fix}
{plan}) plus {apology}, an apology line chosen from the case's fault and legal state (P11, P16).
"""

from __future__ import annotations

PURPOSES = ("acknowledge", "update", "solution", "mistake", "firm", "confirm_request", "follow_up")

_SIGN = "\n\n{our_name}"

DEFAULT_TEMPLATES: dict[str, str] = {
    "acknowledge": (
        "Hi {client_name},\n\nThank you for telling us about {concern}. {apology}I can see how much this "
        "matters to you, and I am looking into it personally now. You will hear from me by {next_update} "
        "with what I have found and what happens next." + _SIGN
    ),
    "update": (
        "Hi {client_name},\n\nHere is an update on {concern}. {apology}I know waiting is frustrating, so "
        "here is where things stand: {plan} I will write again by {next_update}, sooner if anything changes."
        + _SIGN
    ),
    "solution": (
        "Hi {client_name},\n\nThank you for your patience while we looked into {concern}. {apology}Here is "
        "what we will do: {offer}. If that works for you, reply to confirm and we will start straight away. "
        "I will check in with you by {next_update}." + _SIGN
    ),
    "mistake": (
        "Hi {client_name},\n\nThank you for telling us about {concern}. {apology}I know this has caused you "
        "real trouble. Here is how we are putting it right: {fix} Next, {plan} I will confirm when it is "
        "done, by {next_update} at the latest." + _SIGN
    ),
    "firm": (
        "Hi {client_name},\n\nThank you for telling me more about {concern}. I understand this is not "
        "everything you hoped for. {apology}{offer} is what we can do, and it is the fairest answer we have "
        "within our agreement. If you see a fair way to solve this within both our limits, tell me and I "
        "will consider it. I will follow up by {next_update}." + _SIGN
    ),
    "confirm_request": (
        "Hi {client_name},\n\nWe believe {concern} is now sorted, and thank you for your patience while we "
        "worked on it. {apology}Could you confirm it is working the way you need? If anything is still not "
        "right, reply and we will pick it up again. I will check in by {next_update} if I have not heard "
        "from you." + _SIGN
    ),
    "follow_up": (
        "Hi {client_name},\n\nIt has been a while since we sorted out {concern}, and I know it caused you "
        "real hassle at the time. {apology}Is everything still working well for you? If anything has come "
        "up since, reply here and I will look at it. If I do not hear from you by {next_update}, I will take "
        "it that all is well, and the door stays open." + _SIGN
    ),
}

# The apology line by (fault, legal review pending): own it when it is ours (P14), no admission while a
# legal review is open (P11), never apologise for an offence that was not ours (P16).
APOLOGIES: dict[tuple[str, bool], str] = {
    ("ours", False): "I am sorry: we got this wrong. ",
    ("ours", True): "I am sorry for the disruption this has caused you. ",
    ("shared", False): "I am sorry for our part in this. ",
    ("shared", True): "I am sorry for the disruption this has caused you. ",
}
MISTAKE_FALLBACK_APOLOGY = "I am sorry this has been so frustrating to deal with. "

DEFAULT_FIX = "we are correcting it now and checking that nothing else was affected."
DEFAULT_PLAN = (
    "we will find what caused it, make sure it cannot happen again, and tell you in writing what we changed."
)
DEFAULT_OFFER = "the fix we proposed"
DEFAULT_SIGNATURE = "The support team"
