"""Generate a labelled UK test set: emails, CRM exports, letters and call-detail records (faker en_GB, seeded).

Every sample is {"kind", "text", "spans": [{"entity_type", "start", "end"}], "fields": [{"label", "value", "start"}]}.
Identifiers are generated to be valid (check digits, HMRC prefixes, Ofcom drama
phone ranges) and written in the surface forms people use; distractors (order
numbers, invoice references, dates, times, amounts, company and town names)
are unlabelled, so a detector that flags them loses precision.

    python benchmarks/uk_labelled.py --count 400 --seed 7 > uk_set.json
"""

import argparse
import json
import random

from faker import Faker

# Ofcom ranges reserved for drama: (area code, local prefix, local length)
_UK_LINES = [
    ("1632", "960", 3),
    ("20", "7946 0", 3),
    ("113", "496 0", 3),
    ("114", "496 0", 3),
    ("115", "496 0", 3),
    ("117", "496 0", 3),
    ("121", "496 0", 3),
    ("131", "496 0", 3),
    ("141", "496 0", 3),
    ("151", "496 0", 3),
    ("161", "496 0", 3),
    ("191", "498 0", 3),
    ("7700", "900", 3),
    ("808", "157 0", 3),
    ("28", "9649 6", 3),
    ("29", "2018 0", 3),
]
_NINO_FIRST = "ABCEGHJKLMNPRSTWXYZ"
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class Builder:
    """Appends text and records the span of every labelled value."""

    def __init__(self):
        self.parts, self.spans, self.fields, self.length = [], [], [], 0

    def add(self, text: str, entity: str = "", field: str = ""):
        start = self.length
        if entity:
            self.spans.append({"entity_type": entity, "start": start, "end": start + len(text)})
        if field:
            self.fields.append({"label": field, "value": text, "start": start})
        self.parts.append(text)
        self.length += len(text)
        return self

    def sample(self, kind: str) -> dict:
        return {"kind": kind, "text": "".join(self.parts), "spans": self.spans, "fields": self.fields}


class Identities:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)

    def phone(self) -> str:
        area, prefix, tail = self.rng.choice(_UK_LINES)
        local = (prefix + "".join(self.rng.choice("0123456789") for _ in range(tail))).replace(" ", "")
        trunk = area + local
        forms = [
            f"0{area} {local[:3]} {local[3:]}",
            f"0{area} {local}",
            f"(0{area}) {local}",
            f"0{trunk}",
            f"+44 {area} {local}",
            f"+44 (0){area} {local[:3]} {local[3:]}",
            f"+44{trunk}",
            f"0044 {area} {local}",
            f"0{area}-{local[:3]}-{local[3:]}",
        ]
        return self.rng.choice(forms)

    def nhs(self) -> str:
        while True:
            digits = [self.rng.randrange(10) for _ in range(9)]
            check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1))) % 11
            check = 0 if check == 11 else check
            if check != 10:
                s = "".join(map(str, digits)) + str(check)
                return self.rng.choice([f"{s[:3]} {s[3:6]} {s[6:]}", s, f"{s[:3]}-{s[3:6]}-{s[6:]}"])

    def nino(self) -> str:
        while True:
            prefix = self.rng.choice(_NINO_FIRST) + self.rng.choice(_NINO_SECOND)
            if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
                break
        digits = "".join(self.rng.choice("0123456789") for _ in range(6))
        suffix = self.rng.choice("ABCD")
        if self.rng.random() < 0.5:
            return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
        return prefix + digits + suffix

    def postcode(self) -> str:
        return self.fake.postcode()

    def dob(self) -> str:
        d = self.fake.date_of_birth(minimum_age=18, maximum_age=90)
        return self.rng.choice(
            [d.strftime("%d/%m/%Y"), d.isoformat(), f"{d.day} {_MONTHS[d.month - 1]} {d.year}"]
        )

    def card(self) -> str:
        number = self.fake.credit_card_number(card_type=self.rng.choice(["visa16", "mastercard", "amex"]))
        if len(number) == 16 and self.rng.random() < 0.5:
            return " ".join(number[i : i + 4] for i in range(0, 16, 4))
        return number

    def iban(self) -> str:
        iban = self.fake.iban()
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if self.rng.random() < 0.5 else iban

    def sort_account(self) -> str:
        sort = "-".join(f"{self.rng.randrange(100):02d}" for _ in range(3))
        return f"{sort}", "".join(self.rng.choice("0123456789") for _ in range(8))

    def passport(self) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(9))

    def licence(self, surname: str, dob_year: int = 1980) -> str:
        name = "".join(c for c in surname.upper() if c.isalpha())[:5].ljust(5, "9")
        month = self.rng.randrange(1, 13) + self.rng.choice([0, 50])
        day = self.rng.randrange(1, 29)
        year = dob_year % 100
        initials = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2))
        check = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTWXYZ0123456789") for _ in range(2))
        return f"{name}{year // 10}{month:02d}{day:02d}{year % 10}{initials}9{check}"

    def person(self):
        first, last = self.fake.first_name(), self.fake.last_name()
        email = f"{first}.{last}@{self.fake.free_email_domain()}".lower().replace("'", "")
        return first, last, email

    def near_miss(self) -> str:
        """Unlabelled text shaped like an identifier but failing its rule: it must not be reported."""
        r = self.rng
        nhs = self.nhs().replace(" ", "").replace("-", "")
        bad_nhs = nhs[:9] + str((int(nhs[9]) + r.randrange(1, 10)) % 10)
        bad_card = self.fake.credit_card_number(card_type="visa16")
        bad_card = bad_card[:15] + str((int(bad_card[15]) + r.randrange(1, 10)) % 10)
        return r.choice(
            [
                f"The old reference {bad_nhs[:3]} {bad_nhs[3:6]} {bad_nhs[6:]} was withdrawn.",
                f"Example NI number from the form: QQ {r.randrange(10, 99)} {r.randrange(10, 99)} {r.randrange(10, 99)} C.",
                f"The card {bad_card[:4]} {bad_card[4:8]} {bad_card[8:12]} {bad_card[12:]} was declined.",
                f"Your appointment is on {r.randrange(1, 29):02d}/{r.randrange(1, 13):02d}/2025 at 10:{r.randrange(10, 59)}.",
                f"Build 10.{r.randrange(0, 9)}.{r.randrange(0, 99)}.{r.randrange(0, 999)}.{r.randrange(0, 99)} is installed.",
                f"Total due: £{r.randrange(1, 99)},{r.randrange(100, 999)}.{r.randrange(10, 99)} by 31-12-2024.",
                f"Case {r.choice('ABCDEFGH')}{r.randrange(10, 99)}-{r.randrange(1000, 9999)} was closed at 10:30:00.",
            ]
        )

    def distractor(self) -> str:
        r = self.rng
        if r.random() < 0.4:
            return self.near_miss()
        return r.choice(
            [
                f"Order number {r.randrange(10**7, 10**8)} was dispatched on {r.randrange(1, 29)}/{r.randrange(1, 13)}/2024.",
                f"Invoice INV-{r.randrange(2019, 2025)}-{r.randrange(1000, 9999)} for £{r.randrange(10, 9999)}.{r.randrange(10, 99)} is attached.",
                f"The meeting is at {r.randrange(9, 17)}:{r.choice(['00', '15', '30', '45'])} in {self.fake.city()}.",
                f"{self.fake.company()} confirmed the delivery to our {self.fake.city()} depot.",
                f"Ticket #{r.randrange(100000, 999999)} raised; reference {r.randrange(10**9, 10**10)}.",
                f"Version 2.{r.randrange(0, 20)}.{r.randrange(0, 20)} was released on 2024-0{r.randrange(1, 9)}-1{r.randrange(0, 9)}.",
            ]
        )


def email_doc(ids: Identities) -> dict:
    b, r = Builder(), ids.rng
    first, last, email = ids.person()
    first2, last2, email2 = ids.person()
    b.add("From: ").add(f"{first} {last}", "PERSON", "From").add(" <").add(email, "EMAIL_ADDRESS").add(">\n")
    b.add("To: ").add(f"{first2} {last2}", "PERSON", "To").add(" <").add(email2, "EMAIL_ADDRESS").add(">\n")
    b.add(
        f"Subject: {r.choice(['Your account', 'Re: appointment', 'Change of address', 'Payment details'])}\n\n"
    )
    b.add(f"Hi {r.choice(['', 'Mr ', 'Ms '])}").add(
        f"{first2} {last2}" if r.random() < 0.5 else last2, "PERSON"
    ).add(",\n\n")
    b.add(ids.distractor() + " ")
    b.add(r.choice(["Please call me on ", "You can reach me on ", "My mobile is "])).add(
        ids.phone(), "PHONE_NUMBER"
    ).add(". ")
    if r.random() < 0.5:
        b.add("My NI number is ").add(ids.nino(), "UK_NINO").add(" and my NHS number is ").add(
            ids.nhs(), "UK_NHS"
        ).add(". ")
    if r.random() < 0.4:
        sort, account = ids.sort_account()
        b.add("Please pay into sort code ").add(f"{sort} account {account}", "UK_SORT_CODE_ACCOUNT").add(". ")
    if r.random() < 0.3:
        b.add("Our IBAN is ").add(ids.iban(), "IBAN_CODE").add(". ")
    b.add(ids.distractor() + "\n\n")
    b.add("Kind regards,\n").add(f"{first} {last}", "PERSON").add("\n")
    b.add(f"{ids.fake.street_address()}, {ids.fake.city()} ").add(ids.postcode(), "UK_POSTCODE").add("\n")
    b.add("Tel: ").add(ids.phone(), "PHONE_NUMBER").add("\n")
    return b.sample("email")


CRM_HEADER = ["Customer Name", "Email", "Phone", "Postcode", "DOB", "NI Number", "Account Ref", "Company"]


def crm_doc(ids: Identities) -> dict:
    b, r = Builder(), ids.rng
    b.add(",".join(CRM_HEADER) + "\n")
    for _ in range(r.randrange(3, 9)):
        first, last, email = ids.person()
        b.add(f"{first} {last}", "PERSON", "Customer Name").add(",").add(email, "EMAIL_ADDRESS", "Email").add(
            ","
        )
        b.add(ids.phone(), "PHONE_NUMBER", "Phone").add(",").add(
            ids.postcode(), "UK_POSTCODE", "Postcode"
        ).add(",")
        b.add(ids.dob(), "DATE_OF_BIRTH", "DOB").add(",").add(ids.nino(), "UK_NINO", "NI Number").add(",")
        b.add(f"CUST{r.randrange(10000, 99999)}", "", "Account Ref").add(",")
        b.add(ids.fake.company().replace(",", ""), "", "Company").add("\n")
    return b.sample("crm")


def letter_doc(ids: Identities) -> dict:
    b, r = Builder(), ids.rng
    first, last, email = ids.person()
    title = r.choice(["Mr", "Mrs", "Ms", "Dr", "Miss"])
    b.add(f"{title} ").add(f"{first} {last}", "PERSON").add("\n")
    b.add(f"{ids.fake.building_number()} {ids.fake.street_name()}\n{ids.fake.city()}\n").add(
        ids.postcode(), "UK_POSTCODE"
    )
    b.add(f"\n\n{r.randrange(1, 29)} {r.choice(_MONTHS)} 2024\n\nDear {title} ").add(last, "PERSON").add(
        ",\n\n"
    )
    b.add(f"Thank you for your letter about {ids.fake.company()}. " + ids.distractor() + " ")
    b.add("We have your date of birth as ").add(ids.dob(), "DATE_OF_BIRTH").add(" and NHS number ")
    b.add(ids.nhs(), "UK_NHS").add(". ")
    if r.random() < 0.5:
        b.add("Passport number: ").add(ids.passport(), "UK_PASSPORT").add(". ")
    if r.random() < 0.5:
        b.add("Driving licence: ").add(ids.licence(last), "UK_DRIVING_LICENCE").add(". ")
    if r.random() < 0.4:
        b.add("The refund went to the card ending in the number ").add(ids.card(), "CREDIT_CARD").add(". ")
    b.add("If you have questions, call us on ").add(ids.phone(), "PHONE_NUMBER")
    b.add(f" or write to {ids.fake.company()}.\n\nYours sincerely,\n\n")
    sfirst, slast, _ = ids.person()
    b.add(f"{sfirst} {slast}", "PERSON").add(
        f"\n{r.choice(['Customer Services Manager', 'Practice Manager', 'Head of Accounts'])}\n"
    )
    return b.sample("letter")


def cdr_doc(ids: Identities) -> dict:
    b, r = Builder(), ids.rng
    b.add("timestamp,caller,callee,duration_s,cell_id,client_ip,direction\n")
    for _ in range(r.randrange(4, 12)):
        b.add(
            f"2024-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d} {r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d},"
        )
        b.add(ids.phone().replace(",", ""), "PHONE_NUMBER").add(",").add(ids.phone(), "PHONE_NUMBER")
        b.add(f",{r.randrange(1, 3600)},{r.randrange(10000, 99999)},").add(
            ids.fake.ipv4_public(), "IP_ADDRESS"
        )
        b.add(f",{r.choice(['IN', 'OUT'])}\n")
    return b.sample("cdr")


KINDS = (email_doc, crm_doc, letter_doc, cdr_doc)


def generate(count: int, seed: int = 7) -> list:
    ids = Identities(seed)
    return [KINDS[i % len(KINDS)](ids) for i in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(generate(args.count, args.seed), indent=1))


if __name__ == "__main__":
    main()
