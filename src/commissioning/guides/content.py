"""The plain-English guides (issue 18; seed 003 §10.10–10.11: guidance "widely disseminated and
made more easily accessible"), written for a volunteer treasurer of a small charity: short, no
requirement IDs, every technical word explained where it is first used. Sources: the seeds
(003 §11 on TUPE, §13–16 on payment by results, §15 on supply chains) and the platform's own
rules (docs/).

A guide is a list of sections; a section is a heading and blocks, each block a paragraph (a
string) or a bulleted list (a tuple of strings)."""

from __future__ import annotations

from dataclasses import dataclass

Block = str | tuple[str, ...]


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str
    blocks: tuple[Block, ...]

    @property
    def parts(self) -> list[dict[str, object]]:
        """The blocks for the template: ``{"text": …}`` for a paragraph, ``{"bullets": …}`` for a
        bulleted list."""
        return [
            {"text": block} if isinstance(block, str) else {"bullets": block}
            for block in self.blocks
        ]


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    summary: str
    sections: tuple[Section, ...]


COMMISSIONING = Guide(
    slug="how-commissioning-works",
    title="How commissioning works here",
    summary="How public bodies decide what to buy, and where your charity can have a say at "
    "each step.",
    sections=(
        Section(
            "the-cycle",
            "The cycle",
            (
                "Commissioning is how a public body, such as the prison and probation service or "
                "a Police and Crime Commissioner (the elected person who sets policing and crime "
                "priorities for an area), decides what services people need and pays someone to "
                "provide them. It goes round in a cycle:",
                (
                    "work out what people need (a needs assessment)",
                    "plan the service and how it will be paid for",
                    "buy it: this part is called procurement, or tendering",
                    "check how it is going while it runs",
                    "look again at what people need, and start again",
                ),
                "On this platform each round of the cycle is a commissioning exercise, with its "
                "stages and dates shown publicly.",
            ),
        ),
        Section(
            "before-the-tender",
            "Before the tender: have your say",
            (
                "Before anything is bought, the commissioner may open a consultation (questions "
                "anyone can answer) or hold a market engagement event (a meeting where "
                "providers hear the plans and can ask questions). Both are listed under "
                "engagement. Afterwards the commissioner publishes what it heard and what it "
                "did about it.",
                "This is the cheapest time to influence the service: for example to ask for "
                "smaller lots (separate parts of a contract, often by area) that a small "
                "organisation could bid for, or for more of the payment up front.",
                "Set up an alert to hear about new consultations, events and opportunities in "
                "your area, by email or in a feed reader.",
            ),
        ),
        Section(
            "the-tender",
            "The tender",
            (
                "When the commissioner is ready to buy, it publishes an opportunity: the "
                "specification (what the service must do), the lots, how bids will be judged "
                "(the criteria and how much each counts, called its weight), the payment model "
                "and the deadlines. At least 10% of the marks are for social value: the wider "
                "good a provider does, such as employing people with convictions.",
                "Anyone can ask a clarification question; the answers are published for "
                "everyone, without saying who asked.",
            ),
        ),
        Section(
            "after-the-deadline",
            "After the deadline",
            (
                "Bids stay sealed until the deadline, so nobody can read them early. Then "
                "evaluators score each bid against the published criteria on their own, and "
                "agree a final score together (moderation).",
                "The commissioner then announces who has won. There is a pause of at least "
                "8 working days, called standstill, before the contract is signed, so that a "
                "bidder who thinks a mistake was made can challenge it. Every bidder gets "
                "feedback on its scores.",
                "Once the contract is running, its payments, results and supply chain are "
                "published on the contract's page.",
            ),
        ),
    ),
)

BIDDING = Guide(
    slug="how-to-bid-or-join-a-supply-chain",
    title="How to bid or join a supply chain",
    summary="The two ways in: bid yourself, or be part of someone else's bid.",
    sections=(
        Section(
            "two-ways-in",
            "Two ways in",
            (
                "You can bid for a contract yourself (as the prime, the organisation that holds "
                "the contract with the commissioner), or be part of another organisation's bid "
                "as a sub-contractor (an organisation that delivers part of the work and is paid "
                "by the prime). The prime, with its sub-contractors, is the supply chain.",
                "Small lots in your area may suit a bid of your own. Large contracts usually "
                "need a prime with enough money in reserve to wait for payments.",
            ),
        ),
        Section(
            "bidding-yourself",
            "Bidding yourself",
            (
                (
                    "Read the whole opportunity, especially the specification, the criteria and "
                    "the payment model.",
                    "Register your interest in the lot. This also lets you appear on the "
                    "“looking for partners” list if you want to work with others.",
                    "Ask clarification questions early if anything is unclear.",
                    "Answer each criterion in your bid, and name any sub-contractors. They "
                    "each have to agree before the bid can be submitted.",
                    "Submit before the deadline. Bids are sealed: nobody, not even the "
                    "commissioner, can read them until the deadline has passed.",
                ),
                "Keep your organisation's profile up to date: evaluators can see what it "
                "records, such as how you involve the people you serve.",
            ),
        ),
        Section(
            "joining-a-supply-chain",
            "Joining a supply chain",
            (
                "A prime that wants to name you in its bid sends you a sub-contract request. "
                "It shows exactly what the bid promises you: your role, the services, the "
                "referrals (people sent to you) a year and the money a year. Nobody can be "
                "named in a bid without agreeing.",
                "Before you say yes, read “What to ask a prime before saying yes”. You can "
                "decline, and say why.",
                "If you are named in a winning bid, the platform checks each quarter what you "
                "were promised against the referrals and money you actually received, and "
                "publishes it.",
            ),
        ),
    ),
)

PAYMENT_BY_RESULTS = Guide(
    slug="payment-by-results-and-cash-flow",
    title="Payment by results and your cash flow",
    summary="What an at-risk share means for when the money arrives, and how to check you can "
    "afford to wait.",
    sections=(
        Section(
            "what-it-is",
            "What payment by results means",
            (
                "Under payment by results, part of the price is paid only if the service "
                "achieves agreed outcomes, such as fewer people reoffending. That part is the "
                "at-risk share. The rest is paid for doing the work, usually monthly or as "
                "people are referred.",
                "For example, on a contract worth £100,000 a year with 30% at risk, £70,000 "
                "comes as you deliver. The other £30,000 comes only if the outcomes are met, "
                "and only once they have been measured.",
            ),
        ),
        Section(
            "why-it-matters",
            "Why it matters for cash flow",
            (
                "Outcomes take time to measure. Reoffending is usually counted over a year, "
                "with six more months for court cases to finish, so an outcome payment can "
                "arrive 18 months or more after the work was done. Meanwhile you pay staff "
                "and rent every month.",
                "The gap has to come from your reserves (money you hold that is not tied up "
                "or promised elsewhere). If the results are worse than hoped, the at-risk "
                "money may never come.",
                "Many small providers have had to leave payment-by-results programmes because "
                "of these cash-flow problems. Voluntary sector groups have recommended that "
                "the service fee be paid up front, with no more than 10 to 30% of the "
                "contract at risk.",
            ),
        ),
        Section(
            "check-before-you-agree",
            "Check before you agree",
            (
                (
                    "How much of the money is at risk, and what exactly must be achieved to "
                    "earn it?",
                    "When are outcomes measured, and when is each payment made?",
                    "How many months of costs could your reserves cover while you wait?",
                    "What happens if fewer people are referred to you than expected?",
                ),
                "Each contract's page on the platform shows its payment mechanism (the rules "
                "for what is paid and when) and statements of what was paid. The stress test "
                "shows how likely each member of the supply chain is to run out of reserves, "
                "and what would help: more paid up front, less at risk, or faster payment.",
                "Public bodies must pay undisputed invoices within 30 days, and primes must "
                "pay their sub-contractors on the same terms.",
            ),
        ),
    ),
)

TUPE = Guide(
    slug="what-tupe-means",
    title="What TUPE means",
    summary="When staff move with a service, and what that can cost the new provider.",
    sections=(
        Section(
            "what-it-is",
            "What TUPE is",
            (
                "TUPE is short for the Transfer of Undertakings (Protection of Employment) "
                "Regulations 2006. When a service moves from one provider to another, the staff "
                "who mainly work on it usually move to the new provider automatically. They keep "
                "their pay, their terms and conditions and their length of service.",
                "So if you win a contract, you may become the employer of people who now work "
                "for the current provider, on their current terms, which may be better than "
                "those of your own staff.",
            ),
        ),
        Section(
            "what-it-costs",
            "What it can cost",
            (
                (
                    "Salaries: the transferring staff's current pay, and any pay rises they "
                    "are due.",
                    "Pensions: staff coming from the public sector are usually entitled to "
                    "stay in a public service pension scheme, or one that is broadly as good. "
                    "Employer contributions to these can be far higher than a small charity "
                    "pays.",
                    "Redundancy: if you later need fewer staff, redundancy pay depends on how "
                    "long each person has worked, including their years before the transfer.",
                    "Time: the old and new employers must inform and consult staff before the "
                    "transfer.",
                ),
            ),
        ),
        Section(
            "what-to-do",
            "What to do",
            (
                "Find out early. The specification should say whether staff are expected to "
                "transfer, and the current employer must give the new one details of them at "
                "least 28 days before the transfer. Ask for the numbers, roles, salaries, "
                "hours, pensions and length of service (without names).",
                "Work out the cost before you price your bid, including future pension costs. "
                "Commissioners are expected to set the price to cover the cost of transferring "
                "staff. If you are joining a supply chain, ask the prime who will employ any "
                "transferring staff, and who pays if there are redundancies.",
                "Take advice before you commit: a solicitor or your local infrastructure "
                "organisation can help.",
            ),
        ),
    ),
)

ASK_A_PRIME = Guide(
    slug="what-to-ask-a-prime",
    title="What to ask a prime before saying yes",
    summary="Questions to settle before you agree to be named in a bid.",
    sections=(
        Section(
            "why-ask",
            "Why ask now",
            (
                "Once the bid is submitted, the terms are hard to change. Some small "
                "organisations have been named in bids as “delivery partners” and then "
                "received little or no work (this is called being used as bid candy), or were "
                "paid late and lower down the chain. Asking before you agree costs nothing.",
            ),
        ),
        Section(
            "money",
            "Money",
            (
                (
                    "How much will you receive a year, and is it written into the sub-contract?",
                    "How much does the prime keep as a management fee, and is it taken before "
                    "the money reaches you?",
                    "How much of your payment is at risk, on what outcomes, and when is it paid?",
                    "How soon will the prime pay your invoices? (It should be within 30 days.)",
                    "Will you be paid anything up front, to cover the first months?",
                ),
            ),
        ),
        Section(
            "work",
            "Work",
            (
                (
                    "How many people will be referred to you each year, and what happens if "
                    "fewer are?",
                    "Are any staff expected to transfer to you under TUPE, and who pays for them?",
                    "What reports will you have to send, how often, and in what format?",
                ),
            ),
        ),
        Section(
            "fairness",
            "Fairness",
            (
                (
                    "Will the prime sign a sub-contract based on the model sub-contract, and "
                    "follow the code of conduct for treating its supply chain fairly?",
                    "What happens if you disagree? Independent mediation is available on the "
                    "platform once the contract runs.",
                    "What do its other sub-contractors say? Its profile shows its published "
                    "code-of-conduct ratings and supply-chain survey results.",
                ),
                "Then run the figures against your own reserves. If the answer is no, you can "
                "decline the request, and say why.",
            ),
        ),
    ),
)

GUIDES: tuple[Guide, ...] = (COMMISSIONING, BIDDING, PAYMENT_BY_RESULTS, TUPE, ASK_A_PRIME)
BY_SLUG: dict[str, Guide] = {guide.slug: guide for guide in GUIDES}
