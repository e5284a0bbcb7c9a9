"""The demo's conflicts, written for Accord: realistic, varied, in every status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoCase:
    """One demo conflict: who, what they wrote, and where it stands now."""

    client: str
    title: str
    text: str
    status: str
    severity: int
    category: str
    channel: str = "email"
    fault: str = "unknown"
    days_ago: int = 1


DEMO_CASES: list[DemoCase] = [
    DemoCase(
        "Bluebird Dental",
        "Invoice charged twice in October",
        "Hi, our card was charged twice for the October retainer (two payments of $4,200 on "
        "the 3rd). Please refund the duplicate this week. This is the second billing mix-up "
        "this year.",
        "new",
        3,
        "billing",
        days_ago=0,
    ),
    DemoCase(
        "Harbor & Finch Legal",
        "Client portal down during filing deadline",
        "Our client portal has been down since 8am and we have a court filing due at 5pm. "
        "This is completely unacceptable. If we miss this deadline because of your hosting "
        "we will be speaking to our attorneys about the losses.",
        "escalated",
        4,
        "outage",
        fault="ours",
        days_ago=0,
    ),
    DemoCase(
        "Greenleaf Landscaping",
        "Posts went out without approval",
        "Two posts went out on Tuesday that I never approved, one with the wrong phone "
        "number. I thought we agreed everything gets signed off by Friday?",
        "acknowledged",
        2,
        "communication",
        channel="chat",
        fault="ours",
        days_ago=1,
    ),
    DemoCase(
        "Oakridge Veterinary",
        "Booking system outage again",
        "The booking page is down AGAIN. Third time this month. Clients are calling the front "
        "desk because they can't book. If this keeps happening we will cancel the contract.",
        "preparing",
        4,
        "outage",
        fault="ours",
        days_ago=2,
    ),
    DemoCase(
        "Copperline Coffee",
        "Product photos still not updated",
        "We sent the new product photos two weeks ago and the shop still shows the old ones. "
        "Can you tell me when this will be done?",
        "in_conversation",
        2,
        "delay",
        days_ago=3,
    ),
    DemoCase(
        "Summit Physio",
        "Ad spend exceeded the monthly cap",
        "Our statement shows $5,900 in ad spend for September. The agreed cap is $4,000. "
        "We did not approve the extra $1,900 and expect it to be credited.",
        "resolution_proposed",
        3,
        "billing",
        fault="ours",
        days_ago=5,
    ),
    DemoCase(
        "Bluebird Dental",
        "Homepage redesign not what we asked for",
        "The new homepage looks nothing like the mock-up we approved. The colours are off and "
        "the booking button is buried. Please fix it.",
        "awaiting_confirmation",
        2,
        "quality",
        fault="ours",
        days_ago=8,
    ),
    DemoCase(
        "Greenleaf Landscaping",
        "Monthly report missing",
        "Hi, we haven't received the September report yet. Could you send it over?",
        "resolved",
        1,
        "communication",
        days_ago=12,
    ),
    DemoCase(
        "Copperline Coffee",
        "Checkout error on mobile",
        "Customers say the checkout button doesn't work on iPhones. We've lost a few orders this weekend.",
        "closed",
        3,
        "quality",
        fault="ours",
        days_ago=30,
    ),
    DemoCase(
        "Harbor & Finch Legal",
        "Request for extra pages outside scope",
        "We assumed the three new practice-area pages were included in the retainer. Why is "
        "there a separate quote?",
        "on_hold",
        3,
        "scope",
        fault="client",
        days_ago=6,
    ),
    DemoCase(
        "Oakridge Veterinary",
        "Reminder emails sent at 3am",
        "Our clients are getting appointment reminders in the middle of the night. It looks unprofessional.",
        "reopened",
        2,
        "quality",
        fault="ours",
        days_ago=15,
    ),
    DemoCase(
        "Summit Physio",
        "Campaign report late twice",
        "The fortnightly report was late again. I shouldn't have to chase you for it every time.",
        "acknowledged",
        2,
        "delay",
        days_ago=1,
    ),
    DemoCase(
        "Bluebird Dental",
        "Rude phone call with support",
        "The person who answered yesterday was dismissive and hung up on my office manager. "
        "That is not how we expect to be treated.",
        "preparing",
        3,
        "conduct",
        channel="call",
        days_ago=2,
    ),
    DemoCase(
        "Copperline Coffee",
        "Late payment of two invoices",
        "Internal: Copperline has two invoices 45 days overdue (August and September, "
        "$3,200 in total). Raise it with them.",
        "in_conversation",
        2,
        "billing",
        channel="manual",
        fault="client",
        days_ago=4,
    ),
    DemoCase(
        "Greenleaf Landscaping",
        "One-star review threatened",
        "Honestly the service has gone downhill. If the spring campaign isn't fixed by Friday "
        "I'm leaving a one-star review and telling every contractor I know.",
        "new",
        3,
        "quality",
        channel="review",
        days_ago=0,
    ),
    DemoCase(
        "Harbor & Finch Legal",
        "SSL certificate warning on site",
        "Visitors see a security warning on our site this morning. Please look at it.",
        "resolved",
        3,
        "outage",
        fault="ours",
        days_ago=9,
    ),
    DemoCase(
        "Summit Physio",
        "Scope creep: weekly calls requested",
        "Internal: Summit now wants weekly strategy calls, which are not in the package. "
        "Decide whether to raise it.",
        "preparing",
        1,
        "scope",
        channel="manual",
        fault="none",
        days_ago=3,
    ),
    DemoCase(
        "Oakridge Veterinary",
        "Data export request",
        "Please send us a full export of our booking data by the end of the month.",
        "closed",
        1,
        "other",
        channel="form",
        days_ago=40,
    ),
    DemoCase(
        "Bluebird Dental",
        "Missed launch date for new location page",
        "We told patients the new clinic page would be live on the 1st. It still isn't. What happened?",
        "escalated",
        3,
        "delay",
        fault="ours",
        days_ago=2,
    ),
    DemoCase(
        "Copperline Coffee",
        "Newsletter sent to unsubscribed customers",
        "Several customers complained they got our newsletter after unsubscribing. Could "
        "this get us in trouble?",
        "on_hold",
        4,
        "quality",
        fault="ours",
        days_ago=3,
    ),
    DemoCase(
        "Greenleaf Landscaping",
        "Confusing invoice line items",
        "I don't understand the 'platform fee' on the latest invoice. It wasn't there before.",
        "awaiting_confirmation",
        1,
        "billing",
        days_ago=7,
    ),
    DemoCase(
        "Summit Physio",
        "Wrong clinic address in ads",
        "The ads are sending people to our old address. Patients are turning up at the wrong clinic.",
        "closed",
        3,
        "quality",
        fault="ours",
        days_ago=25,
    ),
    DemoCase(
        "Harbor & Finch Legal",
        "Slow replies from account team",
        "It took four days to get an answer on a simple question. Our agreement says one business day.",
        "in_conversation",
        2,
        "communication",
        days_ago=2,
    ),
    DemoCase(
        "Oakridge Veterinary",
        "Chargeback threat over setup fee",
        "We never agreed to a setup fee. If it is not removed we will dispute the charge with our bank.",
        "resolution_proposed",
        3,
        "billing",
        fault="shared",
        days_ago=6,
    ),
    DemoCase(
        "Bluebird Dental",
        "Thank-you note after fix",
        "The booking button works great now, thanks for sorting it so fast.",
        "resolved",
        1,
        "other",
        channel="chat",
        days_ago=10,
    ),
    DemoCase(
        "Copperline Coffee",
        "Designer spoke rudely in a meeting",
        "Your designer rolled his eyes and talked over our owner in Tuesday's meeting. "
        "We'd like someone else on the account.",
        "reopened",
        3,
        "conduct",
        channel="call",
        fault="ours",
        days_ago=14,
    ),
]
