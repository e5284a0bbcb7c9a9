"""Auto-replies and system mail read from the text alone (issue 18 item 4, P3): notices are not
complaints, and a client who is away, quotes our notice or threatens beside an away line is still triaged.
Every sentence here is the team's own."""

from __future__ import annotations

import pytest

from accord.triage import autoreply
from accord.triage.engine import triage, triage_many

NOTICES = [
    "Thank you for your email. I am out of the office with no access to email until Monday 14 December. "
    "For anything urgent please contact Sam on 0161 496 0000.",
    "Thanks for your message. I'm currently away and will be back on the 8th. I'll reply as soon as I can.",
    "Hi, I'm OOO until Tuesday with limited connectivity. For billing queries, email accounts@example.com.",
    "Thank you for contacting Brightside Support. We have received your request and a member of our team "
    "will be in touch within 2 business days. Your ticket number is #48213.",
    "Your request (#12345) has been received and is being reviewed by our support staff.",
    "This mailbox is not monitored. Please send your enquiry to hello@example.com.",
    "Hello, please note I work Monday to Wednesday. I will respond to your email on my next working day.",
    "Thank you for your email. The office is closed for the Christmas break from 23 December and reopens "
    "on 4 January.",
    "I'm currently on maternity leave. Please contact Jenny Hale for anything relating to the Lumen account.",
    "Please be advised that I no longer work at Patel & Co. Emails to this address are not being read.",
    "Ticket #88213 created. We'll be in touch shortly.",
    "Out of office until 05/01. Urgent? Ring Dave 07700 900123",
    "We are currently experiencing a high volume of emails and may take longer than usual to reply.",
    "Your message to jo@example.com couldn't be delivered.",
    "Automatische Antwort: Ich bin bis 3. Januar nicht im Büro.",
]

CLIENTS = [
    "I'm on holiday until the 20th and came back to find the website down again. This is the third time.",
    "I'm on leave from tomorrow and the site still isn't fixed. What is going on?",
    "All I get from your support address is an automatic reply saying someone will be in touch within "
    "2 business days. That was a week ago.",
    "I received a message saying 'this mailbox is not monitored' when I wrote to you. Who do I talk to?",
    "Your ticket number is #48213 and nobody has replied.",
    "Hi, I have left several messages and heard nothing back. Please call me.",
    "We aim to respond to our customers within a day, so why does your team take two weeks?",
    "Your email has been received, you say. Then why has nothing happened?",
    "I'm away next week so please get this sorted before Friday.",
    # a holiday notice inside a client's letter of complaint (it read as an auto-reply, severity 1, whenever
    # the heads found no threat in it)
    "Dear Ms Hale, I am writing to give you notice that I will be away from the 2nd to the 16th of August. "
    "My daughter will water the plants and can let your cleaner in on the Wednesdays. I was unhappy that the "
    "last two visits ran short, and the oven was missed both times, so please make sure the full three "
    "hours are done.",
]


@pytest.mark.parametrize("text", NOTICES)
def test_a_notice_is_found_and_its_words_are_the_evidence(text: str) -> None:
    start, end = autoreply.find(text)
    assert end > start
    t = triage(text)
    assert t.automatic and t.severity == 1 and t.complaint == 0.0
    assert t.evidence[0]["text"] == text[start:end]


@pytest.mark.parametrize("text", CLIENTS)
def test_a_client_who_mentions_being_away_or_quotes_our_notice_is_not_a_notice(text: str) -> None:
    assert autoreply.find(text) == (0, 0)
    assert not triage(text).automatic


def test_an_away_line_beside_a_demand_is_a_client() -> None:
    text = "I'm away until Wednesday, so I need the quote confirmed by tomorrow or we go elsewhere."
    assert autoreply.find(text) == (0, 0)
    assert not triage(text).automatic


def test_an_away_line_beside_a_threat_the_heads_find_is_triaged_as_the_threat() -> None:
    text = "Out of office until Monday. Cancel our contract, we are moving the account to another agency."
    assert autoreply.find(text)[1]  # the away line alone reads as a notice
    t = triage(text)
    assert not t.automatic and t.threats["churn"]["present"]


def test_many_messages_at_once_read_notices_the_same_way() -> None:
    texts = [NOTICES[0], CLIENTS[0], "Automatic reply: Re: invoice 7"]
    assert [t.automatic for t in triage_many(texts)] == [
        True,
        False,
        True,
    ]
