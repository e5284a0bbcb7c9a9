#!/usr/bin/env python3
"""Re-extract texts/ for the reply-coach corpus from public source repos pinned by commit.

Why: the reply texts belong to the businesses that wrote them and the scraped sources carry
no licence that allows redistribution, so only labels and this script travel with the project.
Running it against the same commits rebuilds texts/*.jsonl byte for byte, with stable ids.

Usage:
    python3 rebuild.py [--mirror-root DIR] [--out DIR]

Each source repo must be available as a git directory (bare is fine) at
    <mirror-root>/<owner>+<name>/repo          (the layout the `fetch` tool produces), or
passed explicitly with --repo owner/name=/path/to/git-dir.
Get one with:  git clone --bare https://github.com/<owner>/<name> <dir>  (then the pinned
commit must be reachable in it: `git -C <dir> cat-file -e <commit>`).
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

csv.field_size_limit(10**9)

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------------------------------
# Source 1: TripAdvisor hotel management responses (Apify TripAdvisor export, 14 CSVs;
# df4.csv is absent from the public snapshot).
TA_REPO = "rani227/automated-reply-generation"
TA_COMMIT = "59cd34270513cf8f7f420d8e765b74e50e888e51"
TA_FILES = [f"raw_datasets/df{i}.csv" for i in range(1, 15) if i != 4]
TA_MAX_RATING = 3  # replies to 1-3 star reviews only (a complaint is the norm there)
TA_MIN_CHARS = 40
TA_CAP_PER_HOTEL = 40  # templated hotels otherwise dominate; 30 -> 40 in session 4 (same hotels, same groups)
# A 3-star review is often praise; keep it only when the reply itself answers a complaint.
TA_COMPLAINT_CUES = re.compile(
    r"sorry|apolog|regret|disappoint|inconvenien|unfortunat|concern|issue|problem|"
    r"fell short|not meet|didn't meet|did not meet|shortcoming|lapse|trouble|unpleasant",
    re.IGNORECASE,
)


def git_show(git_dir: Path, commit: str, path: str) -> str:
    """Return a file's text at a commit; why: pin the exact bytes the labels were made on."""
    out = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
        capture_output=True,
        check=True,
    )
    return out.stdout.decode("utf-8")


def norm(text: str) -> str:
    """Collapse whitespace for duplicate detection only (stored text keeps its form)."""
    return re.sub(r"\s+", " ", text).strip().lower()


def clean(text: str) -> str:
    """Trim and normalise line endings so ids and texts are stable across platforms."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


TA_NEAR_DUP = 0.8  # token-set Jaccard against earlier kept replies of the same hotel


def tokens(text: str) -> frozenset[str]:
    """Word set for near-duplicate detection; why: hotels reuse one template per month."""
    return frozenset(re.findall(r"[a-z]+", text.lower()))


def near_dup(tok: frozenset[str], kept: list[frozenset[str]]) -> bool:
    for other in kept:
        union = len(tok | other)
        if union and len(tok & other) / union >= TA_NEAR_DUP:
            return True
    return False


def extract_tripadvisor(git_dir: Path) -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()
    per_hotel: dict[str, int] = {}
    kept_tokens: dict[str, list[frozenset[str]]] = {}
    for path in TA_FILES:
        data = git_show(git_dir, TA_COMMIT, path).lstrip("\ufeff")
        for row in csv.DictReader(io.StringIO(data)):
            row = {k.strip('\ufeff"'): v for k, v in row.items()}
            text = clean(row.get("ownerResponse/text") or "")
            rid = (row.get("ownerResponse/id") or "").strip()
            try:
                rating = int(row.get("rating") or 5)
            except ValueError:
                continue
            if not text or not rid or row.get("ownerResponse/lang") != "en":
                continue
            if rating > TA_MAX_RATING or len(text) < TA_MIN_CHARS:
                continue
            if rating == TA_MAX_RATING and not TA_COMPLAINT_CUES.search(text):
                continue
            key = norm(text)
            if key in seen:
                continue
            hotel = (row.get("placeInfo/id") or "").strip()
            if per_hotel.get(hotel, 0) >= TA_CAP_PER_HOTEL:
                continue
            tok = tokens(text)
            if near_dup(tok, kept_tokens.setdefault(hotel, [])):
                continue
            kept_tokens[hotel].append(tok)
            seen.add(key)
            per_hotel[hotel] = per_hotel.get(hotel, 0) + 1
            title = clean(row.get("title") or "")
            review = clean(row.get("text") or "")
            rows.append(
                {
                    "id": f"ta-{rid}",
                    "text": text,
                    "context": (title + "\n\n" + review).strip(),
                    "source": f"{TA_REPO}@{TA_COMMIT[:12]}:{path}",
                    "group": f"ta-hotel-{hotel}",
                    "business": (row.get("placeInfo/name") or "").strip(),
                    "rating": rating,
                }
            )
    return rows


# ---------------------------------------------------------------------------------------
# Source 2: Google Play developer replies (google-play-scraper export: replyContent column).
GP_SOURCES = {
    "phonepe": (
        "raghualajpur/UPI-APP-REVIEWS",
        "94040f584d242ae5a1e2b619fc2713b4a985afd1",
        "PhonePayIndia.csv",
        "reviewId",
    ),
    "uber": (
        "aayankumarr/absa-forecast-uber-reviews",
        "fdd851258b8717addca9df260c7a9c18004ba94e",
        "uber_reviews_without_reviewid.csv",
        None,  # this export dropped reviewId; the id is a hash of review text + date
    ),
}
GP_MAX_SCORE = 2
GP_MIN_CHARS = 40
GP_TAKE = {"phonepe": 330, "uber": 1000}
NON_EN = re.compile(r"\b(hola|por favor|ayudaremos|olá|obrigado|gracias)\b", re.IGNORECASE)


def kept_reply(row: dict) -> tuple[str, int] | None:
    """(reply, stars) of one Google Play row when it is kept: an English developer reply of at least
    GP_MIN_CHARS characters (placeholders such as "nan" or "no reply" are shorter) to a 1-2 star
    review; else None."""
    text = clean(row.get("replyContent") or "")
    if len(text) < GP_MIN_CHARS or NON_EN.search(text) or not mostly_ascii(text):
        return None
    try:
        score = int(float(row.get("score") or 5))
    except ValueError:
        return None
    return (text, score) if score <= GP_MAX_SCORE else None


def mostly_ascii(text: str) -> bool:
    """English-only filter for replies: PhonePe also answers in Hindi (Devanagari)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) >= 0.9


def gp_rows(app: str, git_dir: Path) -> list[dict]:
    repo, commit, path, id_col = GP_SOURCES[app]
    data = git_show(git_dir, commit, path).lstrip("\ufeff")
    out: list[dict] = []
    seen: set[str] = set()
    kept: list[frozenset[str]] = []
    for row in csv.DictReader(io.StringIO(data)):
        row = {(k or "").strip("\ufeff"): (v or "") for k, v in row.items()}
        kept_row = kept_reply(row)
        if kept_row is None:
            continue
        text, score = kept_row
        key = norm(text)
        tok = tokens(text)
        if key in seen or near_dup(tok, kept):
            continue
        seen.add(key)
        kept.append(tok)
        review = clean(row.get("content", ""))
        if id_col:
            rid = row[id_col].strip()
        else:
            rid = hashlib.sha256((review + "|" + row.get("at", "")).encode()).hexdigest()[:16]
        out.append(
            {
                "id": f"gp-{app}-{rid}",
                "text": text,
                "context": review,
                "source": f"{repo}@{commit[:12]}:{path}",
                "group": f"gp-{app}",
                "business": app,
                "rating": score,
            }
        )
    # deterministic subsample: lowest sha256(id) first, then restore file order
    keep = set(
        sorted((r["id"] for r in out), key=lambda i: hashlib.sha256(i.encode()).hexdigest())[: GP_TAKE[app]]
    )
    rows = [r for r in out if r["id"] in keep]
    assign_template_groups(rows, app)
    return rows


GP_CLUSTER = 0.5  # single-link Jaccard: replies sharing a template family share a group


def non_app_template_groups(rows: list[dict], tag: str) -> list[dict]:
    """Template-family groups for a source that is not a Google Play app (its ids read `<tag>-t...`)."""
    assign_template_groups(rows, tag)
    for r in rows:
        r["group"] = r["group"].replace(f"gp-{tag}-", f"{tag}-")
    return rows


def assign_template_groups(rows: list[dict], app: str) -> None:
    """Group one app's replies by template family.

    Why: a single app cannot be kept out of a split as a whole without emptying the other
    splits of app replies, so the grouping unit is the reply template family instead; this
    keeps near-identical replies (one agent's macro) from straddling train and test.
    """
    toks = [tokens(r["text"]) for r in rows]
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(rows)):
        for j in range(i):
            union = len(toks[i] | toks[j])
            if union and len(toks[i] & toks[j]) / union >= GP_CLUSTER:
                parent[find(i)] = find(j)
    for i, r in enumerate(rows):
        root = rows[find(i)]["id"]
        r["group"] = f"gp-{app}-t" + hashlib.sha256(root.encode()).hexdigest()[:8]


def extract_phonepe(git_dir: Path) -> list[dict]:
    return gp_rows("phonepe", git_dir)


def extract_uber(git_dir: Path) -> list[dict]:
    return gp_rows("uber", git_dir)


# ---------------------------------------------------------------------------------------
# Source 3: TripAdvisor management responses released with Kew & Volk (2022), "Improving
# Specificity in Review Response Generation with Data-Driven Data Filtering" (ECNLP):
# the test-set sample and the reference responses of the human evaluation. Mostly
# European / North American / Australian hotels. No business id is released.
HR_REPO = "ZurichNLP/specific_hospo_respo"
HR_COMMIT = "f21d86242b2d436f13685b1b2c0bd2ef0eb75ec0"
HR_TSV = "scripts/data_prep/test_data.csv"
HR_JSONL = "scripts/evaluation/human_eval/model_outputs_for_human_evalutation_400.jsonl"


def hr_row(text: str, review: str, rating: int | None, path: str) -> dict:
    rid = hashlib.sha256(norm(text).encode()).hexdigest()[:16]
    row = {
        "id": f"hr-{rid}",
        "text": text,
        "context": review,
        "source": f"{HR_REPO}@{HR_COMMIT[:12]}:{path}",
        "group": "",
        "business": "",
    }
    if rating is not None:
        row["rating"] = rating
    return row


def extract_hospo_respo(git_dir: Path) -> list[dict]:
    """Replies that answer a complaint: 1-2 stars, or a reply that itself names a problem."""
    out: list[dict] = []
    seen: set[str] = set()
    kept: list[frozenset[str]] = []

    def add(text: str, review: str, rating: int | None, path: str) -> None:
        text, review = clean(text), clean(review)
        if len(text) < TA_MIN_CHARS or not mostly_ascii(text):
            return
        if (rating is None or rating >= TA_MAX_RATING) and not TA_COMPLAINT_CUES.search(text):
            return
        key, tok = norm(text), tokens(text)
        if key in seen or near_dup(tok, kept):
            return
        seen.add(key)
        kept.append(tok)
        out.append(hr_row(text, review, rating, path))

    tsv = git_show(git_dir, HR_COMMIT, HR_TSV)
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t"):
        try:
            rating = int(row.get("rating") or 5)
        except ValueError:
            continue
        if rating <= TA_MAX_RATING:
            add(row.get("response") or "", row.get("review") or "", rating, HR_TSV)
    for line in git_show(git_dir, HR_COMMIT, HR_JSONL).splitlines():
        if line.strip():
            d = json.loads(line)
            review = (d.get("src_texts") or "").replace(" ---SEP--- ", "\n\n")
            add(d.get("ref_texts") or "", review, None, HR_JSONL)
    return non_app_template_groups(out, "hr")


# ---------------------------------------------------------------------------------------
# Source 5 (issue 19, third session): Google Play scrapes of Indian and US fintech apps
# (google-play-scraper export, one CSV per star rating), released under CC0 in the
# repository of a Fampay competitor study. Only the 1- and 2-star files are read.
FT_REPO = "Harsh-Avinash/Fampay-In-Depth-Analysis"
FT_COMMIT = "63a8e67a5356272544b03ad778ee3f516ea4cd8c"
FT_DIR = "Competion/App-Comp/Data"
# Apps chosen before labelling: those whose low-star replies mostly name a channel (a
# keyword count over all their replies, >= 0.5); PhonePe is left out (already a source).
FT_APPS = {
    "fampay": "FampayData/Fampay",
    "akudo": "Direct_Comp/akudo.technologies",
    "greenlight": "Direct_Comp/me.greenlight",
    "junio": "Direct_Comp/in.junio",
    "bharatpe": "Mainstream_Comp/com.bharatpe.app",
    "cred": "Mainstream_Comp/com.dreamplug.androidapp",
    "googlepay": "Mainstream_Comp/com.google.android.apps.nbu.paisa.user",
    "mobikwik": "Mainstream_Comp/com.mobikwik_new",
    "niyo": "Mainstream_Comp/com.niyo.equitassavingsaccount",
    "fi": "Potential_Comp/com.epifi.paisa",
}
FT_CAP_PER_APP = 30
# 1-star files of 4 MiB and more are absent from the public snapshot the labels were made on;
# they are never read, so a full clone rebuilds the same rows.
FT_NOT_READ = {
    "fampay": (1,),
    "bharatpe": (1,),
    "cred": (1,),
    "jupiter": (1,),  # round 9
    "freecharge": (1, 2),  # round 9: not extracted (both files absent)
    "airtel": (1,),  # round 9: not extracted (2-star file holds only its header)
}


def gp_collect(rows_in, app: str, id_prefix: str, source: str) -> list[dict]:
    """English replies >= 40 chars to 1-2 star reviews, exact and near-duplicates dropped."""
    out: list[dict] = []
    seen: set[str] = set()
    kept: list[frozenset[str]] = []
    for row in rows_in:
        kept_row = kept_reply(row)
        if kept_row is None:
            continue
        text, score = kept_row
        key, tok = norm(text), tokens(text)
        if key in seen or near_dup(tok, kept):
            continue
        seen.add(key)
        kept.append(tok)
        out.append(
            {
                "id": f"{id_prefix}-{(row.get('reviewId') or '').strip()}",
                "text": text,
                "context": clean(row.get("content") or ""),
                "source": source,
                "group": "",
                "business": app,
                "rating": score,
            }
        )
    return out


def review_row(reply: str, score: str, title: str, body: str, review_id: str) -> dict:
    """A review and its reply in the fields `gp_collect` reads; the title leads the review unless the
    body already starts with it (exports that have both repeat the title in the body)."""
    content = (title + "\n\n" + body).strip() if title and not body.startswith(title) else body
    return {"replyContent": reply, "score": score, "content": content, "reviewId": review_id}


def appstore_row(row: dict) -> dict | None:
    """An app-store-scraper row (`developerResponse` written by pandas as a Python dict literal with
    `id`, `body`, `modified`) as a `review_row`, or None when the developer did not answer. The export
    keeps no review id, so the response id stands in (`r<id>`)."""
    raw = (row.get("developerResponse") or "").strip()
    if raw in ("", "nan"):
        return None
    resp = ast.literal_eval(raw)
    title, body = clean(row.get("title") or ""), clean(row.get("review") or "")
    return review_row(resp.get("body") or "", row.get("rating") or "", title, body, f"r{resp['id']}")


def capped(rows: list[dict], cap: int) -> list[dict]:
    """Deterministic cap: lowest sha256(id) first, file order kept; why: one macro-heavy app
    must not dominate the corpus."""
    keep = set(sorted((r["id"] for r in rows), key=lambda i: hashlib.sha256(i.encode()).hexdigest())[:cap])
    return [r for r in rows if r["id"] in keep]


def salted_cap(pool: list[dict], salt: str, cap: int) -> list[dict]:
    """The first `cap` rows by sha256(salt + id), file order kept: a salt of the round's own, so a new
    source's cap does not pick the same hash order as every other source's."""
    keep = set(
        sorted((r["id"] for r in pool), key=lambda i: hashlib.sha256((salt + i).encode()).hexdigest())[:cap]
    )
    return [r for r in pool if r["id"] in keep]


def capped_apps(by_app: dict[str, list[dict]], caps: dict[str, int], src: str) -> list[dict]:
    """Each app's Google Play rows through the unchanged rule (`gp_collect`), capped and grouped by
    template, apps in the order of `caps` (part of the rule: ids and groups are assigned in that order)."""
    out: list[dict] = []
    for app, cap in caps.items():
        rows = capped(gp_collect(by_app.get(app, []), app, f"gp-{app}", src), cap)
        assign_template_groups(rows, app)
        out.extend(rows)
    return out


def ft_pool(git_dir: Path, app: str, sub: str) -> list[dict]:
    """One fintech app's eligible replies (1-2 star files present in the snapshot), in file order."""
    rows_in: list[dict] = []
    for stars in (1, 2):
        if stars in FT_NOT_READ.get(app, ()):
            continue
        data = git_show(git_dir, FT_COMMIT, f"{FT_DIR}/{sub}/app_reviews_{stars}.csv")
        rows_in.extend(csv.DictReader(io.StringIO(data.lstrip("\ufeff"))))
    src = f"{FT_REPO}@{FT_COMMIT[:12]}:{FT_DIR}/{sub}/app_reviews_[12].csv"
    return gp_collect(rows_in, app, f"gp-{app}", src)


def extract_fintech(git_dir: Path) -> list[dict]:
    out: list[dict] = []
    for app, sub in FT_APPS.items():
        pool = ft_pool(git_dir, app, sub)
        base = capped(pool, FT_CAP_PER_APP)
        assign_template_groups(base, app)
        if app in FT_CAP_ROUND2:
            base_ids = {r["id"] for r in base}
            more = [r for r in capped(pool, FT_CAP_ROUND2[app]) if r["id"] not in base_ids]
            join_template_groups(more, base, app)
            keep = base_ids | {r["id"] for r in more}
            base = [r for r in pool if r["id"] in keep]
        rounds = (FT_CAP_ROUND4, FT_CAP_ROUND5, FT_CAP_ROUND6, FT_CAP_ROUND7, FT_CAP_ROUND8, FT_CAP_ROUND10)
        for caps in (*rounds, FT_CAP_ROUND11, FT_CAP_ROUND12, FT_CAP_ROUND13, FT_CAP_ROUND13B):
            if app in caps:
                base = raise_cap(pool, base, caps[app], app)
        out.extend(base)
    return out + extract_fintech_round9(git_dir)


def extract_fintech_round9(git_dir: Path) -> list[dict]:
    """Round 9: new apps, appended after the ten earlier ones so that no earlier row moves."""
    out: list[dict] = []
    for app, sub in FT_APPS_ROUND9.items():
        pool = ft_pool(git_dir, app, sub)
        rows = capped(pool, FT_CAP_ROUND9_NEW[app])
        assign_template_groups(rows, app)
        if app in FT_CAP_ROUND13:
            rows = raise_cap(pool, rows, FT_CAP_ROUND13[app], app)
        out.extend(rows)
    return out


# Round 2 (after round 1 was labelled): the clean share was still short of a third, so the
# cap was raised for the three apps whose round-1 replies were mostly clean. A choice of
# source by its clean rate, stated as such in README.md; every reply extracted is labelled.
FT_CAP_ROUND2 = {"greenlight": 150, "mobikwik": 110, "niyo": 80}  # mobikwik 80 -> 110 in round 3
# Round 4 (session 4): the hotel cap went 30 -> 40 to give the rare families more positives;
# these caps rise with it so the clean share stays at a third (again a choice by clean rate);
# CRED, Fi and Akudo (mostly flawed in round 1) rise a little too, for the rare families.
FT_CAP_ROUND4 = {"mobikwik": 140, "greenlight": 190, "niyo": 100, "cred": 60, "fi": 55, "akudo": 45}
# Round 5 (session 5): more positives for the weak families (hedging, condescension, blame,
# evasive passives), chiefly from the long templated replies of CRED, Fi, Akudo, Junio and
# BharatPe; NiyoX and Greenlight (mostly clean) rise with them so the clean share stays at a
# third. Caps fixed before the new rows were read; every extracted reply is labelled.
FT_CAP_ROUND5 = {
    "cred": 120,
    "fi": 115,
    "akudo": 75,
    "junio": 60,
    "bharatpe": 50,
    "niyo": 150,
    "greenlight": 230,
}

# Round 6 (session 6): the weak families (evasive_passive, hedging, blame_or_excuse,
# condescension) still had the fewest positives. Caps chosen from the earlier rounds' per-app
# family rates on train/val rows only, fixed before the new rows were read: Fampay, Akudo,
# BharatPe (hedging / blame / condescension each >= 0.15 per row; Fampay and BharatPe also hold
# one of the four train/val evasive passives of this source), CRED (hedging 0.37), Google Pay
# (blame 0.20), Junio (condescension 0.22), and NiyoX and Greenlight (mostly clean, for the third).
FT_CAP_ROUND6 = {
    "fampay": 60,
    "akudo": 105,
    "bharatpe": 80,
    "cred": 150,
    "googlepay": 55,
    "junio": 85,
    "niyo": 185,
    "greenlight": 255,
}
# Round 7 (session 6, after round 6 was labelled: 177 labelled rows, short of the ~200 asked):
# chosen from the per-app family rates of the train/val rows of rounds 1-6 (no test label read),
# fixed before the new rows were read: Akudo (blame 0.17, hedging 0.15), Fampay (hedging 0.28;
# its 2-star pool holds 92 rows), Google Pay (blame 0.17, condescension 0.15, clean 0.55) and Fi
# (hedging and condescension 0.12, clean 0.43; not raised in round 6).
FT_CAP_ROUND7 = {"akudo": 135, "fampay": 90, "googlepay": 75, "fi": 135}
# Round 8 (session 7): more positives for double_talk, evasive_passive, blame_or_excuse,
# condescension and hedging. Chosen from the per-app family rates of the train/val rows of
# rounds 1-7 (no test label read), fixed before the new rows were read: CRED (double_talk 0.18,
# hedging 0.35, condescension 0.15), BharatPe (double_talk 0.11, blame 0.14, condescension and
# hedging 0.11, one of the few evasive passives), Akudo (blame 0.15, condescension 0.14, hedging
# 0.14; its pool of 183 is taken whole), Google Pay (blame 0.13, condescension 0.15; pool of 127
# taken whole), Junio (condescension 0.21), Fampay (hedging 0.27; its last 2 rows), and NiyoX and
# Greenlight (clean 0.55 and 0.52, to hold the third): about 300 replies.
FT_CAP_ROUND8 = {
    "cred": 210,
    "bharatpe": 130,
    "akudo": 183,
    "googlepay": 127,
    "junio": 125,
    "fampay": 92,
    "niyo": 215,
    "greenlight": 275,
}


# Round 9 (session 8): new businesses of the same repository (new template groups generalise
# better than more macros of the apps above), appended after them so no earlier row moves.
# BHIM (NPCI), Freo, Instantpay, Mahila Money, Niyo Global, Jupiter. Left out: Freecharge (both
# files absent from the snapshot: 4 MiB and more), Airtel Thanks (1-star file absent, 2-star
# file holds only its header), PhonePe (already a source). Caps fixed by pool size only, before
# any reply was read (pools after the Google Play rule: BHIM 13, Freo 93, Instantpay 25, Mahila
# Money 27, Niyo Global 460, Jupiter 483): the small pools whole, the others capped per app
# (Freo 60, Niyo Global 90, Jupiter 90). After those 305 were read (248 labelled, 57 XX, short of
# the ~300 asked) Freo went to its whole pool (93) and Niyo Global to 135: the XX yield decided,
# no family label did (Jupiter's 2-star rows are mostly praise given a low rating).
FT_APPS_ROUND9 = {
    "bhim": "Mainstream_Comp/in.org.npci.upiapp",
    "freo": "Potential_Comp/com.freo.save.banking.app",
    "instantpay": "Potential_Comp/com.instantpay.in",
    "mahilamoney": "Potential_Comp/com.sm.mahilamoney",
    "niyoglobal": "Potential_Comp/finance.global.travel.niyo",
    "jupiter": "Potential_Comp/money.jupiter",
}
FT_CAP_ROUND9_NEW = {
    "bhim": 13,
    "freo": 93,
    "instantpay": 25,
    "mahilamoney": 27,
    "niyoglobal": 135,
    "jupiter": 90,
}


# Round 10 (session 11 helper, issue 19): the clean share fell to 32.2% (1063/3303) after session 10's
# flawed-heavy registers. As in rounds 2, 4, 5, 6 and 8, the caps of the mostly-clean apps rise to get
# the third back: a choice of source by clean rate, stated in README.md. Chosen from the per-app clean
# rates of the train/val rows of rounds 1-9 only (no test label read): MobiKwik 0.79 (pool 143: its
# last 3 rows), NiyoX 0.54 and Greenlight 0.52 (Google Pay, 0.60, has no row left). Caps fixed before
# any new row was read; every extracted row is read and labelled, flawed ones included.
FT_CAP_ROUND10 = {"mobikwik": 143, "niyo": 390, "greenlight": 450}
# Round 11 (same helper session, after round 10's 382 rows were all read: 33.9%, 1238/3654, short of
# the 34% asked): the same two apps, 40 more rows each, sized by row count only (about 70 labelled
# rows at the earlier XX yield); fixed before any of them was read.
FT_CAP_ROUND11 = {"niyo": 430, "greenlight": 490}
# Round 12 (helper-49, issue 19): the same two apps, 140 more rows each (NiyoX 430 -> 570,
# Greenlight 490 -> 630), the next rows by sha256(id) (`raise_cap`: published rows keep id, group,
# split); sized by row count only and fixed, with this comment, before any of the new rows was read.
# Every extracted row is read and labelled, flawed ones included (sheet work/labels_ft_12.txt).
FT_CAP_ROUND12 = {"niyo": 570, "greenlight": 630}
# Round 13 (helper-52, issue 19). Rule fixed before any new row was read: about 300 new rows from
# the 2-4 apps (with pool rows left beyond their caps) whose train+val rows carry the highest combined
# rate of evasive_passive + double_talk + blame_or_excuse + condescension (the families the coach
# misses most), plus the app with the highest train+val clean rate that still has rows left, so that
# the clean share stays >= 1/3 overall and train stays >= 33.4%. Rates from the train+val rows of
# rounds 1-12 only (no test label read). Entertainment, food delivery, TripAdvisor hotels (no hotel
# holds more than 40 eligible rows), ANZ, the Trustpilot sources, Busuu and Keytrade have no row
# left. Any-of-the-four rate / clean rate (train+val rows): Jupiter 0.53 / 0.12 (32 rows; pool 483),
# Niyo Global 0.46 / 0.25 (101 rows; pool 460), then Cred 0.30, BharatPe 0.30, Akudo 0.29, Junio 0.29.
# Two hard apps: Jupiter 90 -> 150 and Niyo Global 135 -> 195; the clean keeper: Greenlight 0.52
# clean (496 rows; pool 1280; Google Pay 0.60 and MobiKwik 0.79 have none left) 630 -> 810. Sized
# by row counts only (expected clean share of the 300 about 38%, enough to hold train >= 33.4%).
# Per app, the next rows by sha256(id) (`raise_cap`: published rows keep id, group, split). Every
# extracted row is read and labelled, flawed ones included (sheet work/labels_ft_13.txt).
FT_CAP_ROUND13 = {"greenlight": 810, "jupiter": 150, "niyoglobal": 195}
# Round 13b (same helper session, after round 13's 300 rows were all read: 283 labelled, 17 XX; the
# clean share of the train split fell to 33.1%, 872/2635, short of the 33.4% asked; overall 34.9%):
# as in round 11, the clean keeper's cap rises again, 150 more rows (Greenlight 810 -> 960), sized by
# row count only (Greenlight's new rows so far put about 0.18 clean rows per row into train) and fixed,
# with this comment, before any of them was read. Sheet work/labels_ft_13.txt, after round 13's rows.
FT_CAP_ROUND13B = {"greenlight": 960}


def raise_cap(pool: list[dict], base: list[dict], cap: int, app: str) -> list[dict]:
    """Add the next rows by sha256(id) up to `cap`; why: published rows keep id, group, split."""
    base_ids = {r["id"] for r in base}
    more = [r for r in capped(pool, cap) if r["id"] not in base_ids]
    join_template_groups(more, base, app)
    keep = base_ids | {r["id"] for r in more}
    return [r for r in pool if r["id"] in keep]


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def join_template_groups(more: list[dict], base: list[dict], app: str) -> None:
    """Group round-2 rows without regrouping round-1 rows.

    Why: round-1 rows were labelled and published with their split; a round-2 reply that
    shares a template with a round-1 reply joins that reply's group, the others form their
    own template families, so no round-1 row moves to another split.
    """
    base_toks = [(tokens(r["text"]), r["group"]) for r in base]
    loose: list[dict] = []
    for r in more:
        tok = tokens(r["text"])
        hit = next((g for t, g in base_toks if jaccard(tok, t) >= GP_CLUSTER), None)
        if hit:
            r["group"] = hit
        else:
            loose.append(r)
    assign_template_groups(loose, app)


# ---------------------------------------------------------------------------------------
# Source 6: ANZ banking apps (Australia, Pacific) on Google Play, google-play-scraper export.
ANZ_REPO = "nagarajarunprasath/ANZ_APP_Model_Deploy"
ANZ_COMMIT = "4a81963d78c5810587ce46b4c07429a12c3cae8a"
ANZ_PATH = "app_reviews.csv"
ANZ_CAP_PER_APP = 60


def extract_anz(git_dir: Path) -> list[dict]:
    data = git_show(git_dir, ANZ_COMMIT, ANZ_PATH).lstrip("\ufeff")
    by_app: dict[str, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(data)):
        by_app.setdefault(row.get("appId") or "", []).append(row)
    out: list[dict] = []
    for app_id, rows_in in by_app.items():
        src = f"{ANZ_REPO}@{ANZ_COMMIT[:12]}:{ANZ_PATH}"
        rows = capped(gp_collect(rows_in, app_id, "gp-anz", src), ANZ_CAP_PER_APP)
        assign_template_groups(rows, "anz")
        out.extend(rows)
    return out


# ---------------------------------------------------------------------------------------
# Source 7: Skill Recordings (egghead, Epic React, Total TypeScript...) support e-mail:
# real agent answers, stored verbatim (names and addresses masked by the source) as
# "real-responses" of its support skills. Only the verbatim files, only the skills whose
# incoming message reports a problem (access, payment, bugs, refunds, broken links...).
SR_REPO = "skillrecordings/support"
SR_COMMIT = "e2a799bb506d2ff1eba947b00e6fad5b10362796"
SR_SKILLS = [
    "access-locked-out",
    "broken-link-404-error",
    "cohort-access-request",
    "course-content-locked",
    "course-difficulty-concern",
    "duplicate-purchase",
    "email-delivery-failure",
    "invoice-billing-statement",
    "outdated-course-content",
    "password-reset-issue",
    "payment-method-issue",
    "subscription-renewal-issue",
    "technical-issue-course-content",
    "two-factor-auth-issue",
    "ui-ux-feedback",
    "website-bug-report",
    "workshop-technical-setup",
]
SR_CONV = re.compile(r"^## (cnv_\w+)\s*\n(.*?)(?=^## cnv_|\Z)", re.S | re.M)
SR_BLOCK = re.compile(r"\*\*(Question|Answer)\*\*\s*\n+```text\n(.*?)\n```", re.S)


def extract_skillrecordings(git_dir: Path) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    kept: list[frozenset[str]] = []
    for skill in SR_SKILLS:
        path = f"skills/{skill}/references/real-responses.md"
        md = git_show(git_dir, SR_COMMIT, path)
        if not md.startswith("# Real Responses (verbatim)"):
            continue  # the other format is paraphrased, not verbatim
        for m in SR_CONV.finditer(md):
            parts = dict(SR_BLOCK.findall(m.group(2)))
            text, question = clean(parts.get("Answer", "")), clean(parts.get("Question", ""))
            rid = f"sr-{m.group(1)}"
            if len(text) < GP_MIN_CHARS or not mostly_ascii(text) or rid in seen:
                continue
            tok = tokens(text)
            if norm(text) in seen or near_dup(tok, kept):
                continue
            seen.update((rid, norm(text)))
            kept.append(tok)
            out.append(
                {
                    "id": rid,
                    "text": text,
                    "context": question,
                    "source": f"{SR_REPO}@{SR_COMMIT[:12]}:{path}",
                    "group": "",
                    "business": "skillrecordings",
                }
            )
    return non_app_template_groups(out, "sr")


# ---------------------------------------------------------------------------------------
# Source 8 (round 3): Hiking Project (outdoor trail app, US) replies on Google Play; the
# repository names the file opay.csv but its rows are Hiking Project reviews.
HK_REPO = "dekings44/playstore_review"
HK_COMMIT = "bed518dd96fa3d0a89318d605126e161478d6070"
HK_PATH = "opay.csv"


def extract_hiking(git_dir: Path) -> list[dict]:
    data = git_show(git_dir, HK_COMMIT, HK_PATH).lstrip("\ufeff")
    src = f"{HK_REPO}@{HK_COMMIT[:12]}:{HK_PATH}"
    rows = gp_collect(csv.DictReader(io.StringIO(data)), "hikingproject", "gp-hiking", src)
    assign_template_groups(rows, "hiking")
    return rows


# ---------------------------------------------------------------------------------------
# Source 9 (issue 19, session 9): Trustpilot company replies of three peer-to-peer rental
# marketplaces (Outdoorsy and RVshare, US RV rental; Fat Llama, UK gear rental), an Apify
# Trustpilot export merged by a WU Vienna course project (column `reply` = the company's
# public reply, "NA" when none). A register the corpus lacked: Western marketplace support
# desks answering complaints about hosts, deposits, cancellations and refunds.
TP_REPO = "tyomachkaa/ai-acceptance-sharing-economy"
TP_COMMIT = "b7c90d845b102ad4150ac02b1cd9a917c6293e63"
TP_PATH = "data/trustpilot_reviews.csv"
# Caps fixed by pool size only, before any reply was read (pools after the Google Play rule:
# Outdoorsy 200, Fat Llama 143, RVshare 61; the other four platforms of the file have no reply
# to a 1-2 star review).
TP_CAP = {"outdoorsy": 100, "fatllama": 100, "rvshare": 61}
# Round 2 (helper-49, issue 19): Outdoorsy 100 -> 200 and Fat Llama 100 -> 143, both pools whole,
# the next rows by sha256(id) (`raise_cap`; published rows keep id, group and split: a new reply that
# shares a template with a published one joins its group, the others form new `tp-<company>-t...`
# groups). Fixed, with this comment, before any of the new rows was read; every extracted row is
# read and labelled, flawed ones included (sheet work/labels_tp_02.txt).
TP_CAP_ROUND2 = {"outdoorsy": 200, "fatllama": 143}


def extract_trustpilot_rentals(git_dir: Path) -> list[dict]:
    """Same rule as the app sources: replies >= 40 chars to 1-2 star reviews, English, exact and
    near-duplicates dropped per company, a cap per company by sha256(id), template groups."""
    data = git_show(git_dir, TP_COMMIT, TP_PATH).lstrip("\ufeff")
    by_co: dict[str, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(data)):
        if (row.get("language") or "").strip() != "en":
            continue
        reply = (row.get("reply") or "").strip()
        title, body = clean(row.get("title") or ""), clean(row.get("body") or "")
        by_co.setdefault((row.get("platform") or "").strip(), []).append(
            review_row(
                "" if reply == "NA" else reply,
                row.get("rating") or "",
                title,
                body,
                (row.get("review_id") or "").strip(),
            )
        )
    src = f"{TP_REPO}@{TP_COMMIT[:12]}:{TP_PATH}"
    out: list[dict] = []
    for co, cap in TP_CAP.items():
        pool = gp_collect(by_co.get(co, []), co, f"tp-{co}", src)
        rows = non_app_template_groups(capped(pool, cap), f"tp-{co}")
        if co in TP_CAP_ROUND2:
            rows = raise_cap(pool, rows, TP_CAP_ROUND2[co], f"tp-{co}")
            for r in rows:
                r["group"] = r["group"].replace(f"gp-tp-{co}-", f"tp-{co}-")
        out.extend(rows)
    return out


# ---------------------------------------------------------------------------------------
# Source 10 (issue 19, session 9): Google Play developer replies of two Indian food-delivery
# apps (Swiggy, Zomato), a google-play-scraper export (`replyContent`; the star column is
# named `rating` there). Mostly macros: the near-duplicate rule leaves 49 Swiggy and 10 Zomato
# replies, all taken (fixed by pool size before reading).
FD_REPO = "Noobrobo/SwiggyVsZomato"
FD_COMMIT = "535b454a604f727e6594a842c319d2d1d49cb3a6"
FD_PATH = "input.csv"
FD_CAP = {"swiggy": 49, "zomato": 10}


def extract_fooddelivery(git_dir: Path) -> list[dict]:
    data = git_show(git_dir, FD_COMMIT, FD_PATH).lstrip("\ufeff")
    by_app: dict[str, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(data)):
        row = {(k or "").strip("\ufeff"): (v or "") for k, v in row.items()}
        row["score"] = row.get("rating", "")
        by_app.setdefault(row.get("app", "").strip().lower(), []).append(row)
    src = f"{FD_REPO}@{FD_COMMIT[:12]}:{FD_PATH}"
    return capped_apps(by_app, FD_CAP, src)


# ---------------------------------------------------------------------------------------
# Source 11 (issue 19, session 10): developer replies of entertainment apps, a register the
# corpus lacked: interactive-story games (Chapters by Crazy Maple Studio, Winked by Nanobit,
# Love Island The Game by Fusebox) and an AI-companion app (Replika), answering players about
# lost diamonds / gems, paywalls, bugs and account loss. iOS App Store exports (app-store-scraper:
# `developerResponse` = "{'id': .., 'body': .., 'modified': ..}") and Google Play exports
# (`developer_response`) of a student NLP project. Only the raw files are read: the files under
# "CSV files after preprocessing/" and the Love Island App Store files hold lower-cased,
# lemmatised review text, not the review as written.
ENT_REPO = "Jiya873/NLP_Project"
ENT_COMMIT = "3606dfa0b5f11187b8224cc8615e2cf45dae96ec"
# app -> [(path, kind)], files in this order (the near-duplicate rule keeps the first copy of
# a macro, so the order is part of the rule)
ENT_FILES = {
    "chapters": [
        ("Chapters_Interactive_Stories_app_store_US.csv", "ios"),
        ("Chapters_Interactive_Stories_app_store_IN.csv", "ios"),
    ],
    "winked": [
        ("Winked_Episodes_of_Romance_app_store_US.csv", "ios"),
        ("Winked_Episodes_of_Romance_app_store_IN.csv", "ios"),
        ("Winked_Episodes_of_Romance_play_store.csv", "play"),
    ],
    "replika": [("app_store_reviews.csv", "ios")],  # the Replika App Store export (see its notebook)
    "loveisland": [("Love_Island_The_Game_play_store.csv", "play")],
}
# Caps fixed by pool size only, before any reply was read (pools after the Google Play rule:
# Chapters 75, Winked 86, Replika 26, Love Island 15): every pool whole.
ENT_CAP = {"chapters": 75, "winked": 86, "replika": 26, "loveisland": 15}


def ent_rows(git_dir: Path, path: str, kind: str) -> list[dict]:
    """One export as rows for `gp_collect`: reply, stars, the review (App Store: title + text), id.
    Ids: the App Store response id (the export keeps no review id), the Google Play reviewId."""
    data = git_show(git_dir, ENT_COMMIT, path).lstrip("\ufeff")
    out: list[dict] = []
    for row in csv.DictReader(io.StringIO(data)):
        if kind == "ios":
            answered = appstore_row(row)
            if answered is not None:
                out.append(answered)
        else:
            reply = (row.get("developer_response") or "").strip()
            out.append(
                {
                    "replyContent": "" if reply == "nan" else reply,
                    "score": row.get("rating") or "",
                    "content": row.get("review_description") or "",
                    "reviewId": (row.get("review_id") or "").strip(),
                }
            )
    return out


def extract_entertainment_apps(git_dir: Path) -> list[dict]:
    """The Google Play rule per app (both stores pooled per app, in ENT_FILES order), a cap per app
    by sha256(id), template groups per app (`ent-<app>-t...`)."""
    out: list[dict] = []
    for app, files in ENT_FILES.items():
        rows_in: list[dict] = []
        for path, kind in files:
            rows_in.extend(ent_rows(git_dir, path, kind))
        src = f"{ENT_REPO}@{ENT_COMMIT[:12]}:" + ",".join(p for p, _ in files)
        rows = capped(gp_collect(rows_in, app, f"ent-{app}", src), ENT_CAP[app])
        out.extend(non_app_template_groups(rows, f"ent-{app}"))
    return out


# ---------------------------------------------------------------------------------------
# Source 12 (issue 19, session 10): Trustpilot replies of Keytrade Bank (Belgian online bank),
# a Trustpilot JSON export (the review objects of trustpilot.com's page data, `reply.message`)
# of a sentiment-analysis project. Most reviews are French or Dutch; only `language == "en"`
# rows are read (20 English replies to 1-2 star reviews; 11 after the rule). A European retail
# bank's complaint desk: the corpus had Indian and US fintech apps and one Australian bank app.
KT_REPO = "jean-cheramy/keytrade-trustpilot-analysis"
KT_COMMIT = "c9e8fbf1cc040a64b05cfb9d787697fdaa96a912"
KT_PATH = "src/data/reviews.json"
KT_CAP = 20  # fixed before any reply was read: the pool whole (11 after the rule)


def extract_trustpilot_bank(git_dir: Path) -> list[dict]:
    rows_in: list[dict] = []
    for r in json.loads(git_show(git_dir, KT_COMMIT, KT_PATH)):
        if (r.get("language") or "") != "en":
            continue
        title, body = clean(r.get("title") or ""), clean(r.get("text") or "")
        rows_in.append(
            {
                "replyContent": ((r.get("reply") or {}).get("message")) or "",
                "score": str(r.get("rating") or ""),
                "content": (title + "\n\n" + body).strip()
                if title and not body.startswith(title.rstrip("\u2026"))
                else body,
                "reviewId": (r.get("id") or "").strip(),
            }
        )
    src = f"{KT_REPO}@{KT_COMMIT[:12]}:{KT_PATH}"
    rows = capped(gp_collect(rows_in, "keytrade", "tp-keytrade", src), KT_CAP)
    return non_app_template_groups(rows, "tp-keytrade")


# ---------------------------------------------------------------------------------------
# Source 13 (issue 19, session 11 helper): Google Play developer replies of Busuu (language-learning
# app, London), a google-play-scraper export (`replyContent`) committed by a small practice repository
# (its gplayscraper.py names another package, but every reply of the CSV is signed by the Busuu team
# or names team@busuu.com: the file is Busuu's; found on reading the first reply). A new business chosen
# before any reply was read by a fixed keyword rule on the replies (the share naming a concrete
# channel: an e-mail address, URL, phone number, in-app / help centre, chat, ticket; 17 of 29 =
# 0.59 >= 0.5, round 1's bar). Pool after the Google Play rule: 29, taken whole.
BU_REPO = "Vimalraz/py"
BU_COMMIT = "c7c9f1de1c0fe3e877b0d20a1cf2d0c13cc206c0"
BU_PATH = "app_reviews.csv"
BU_CAP = 29  # fixed before any reply was read: the pool whole


def extract_busuu(git_dir: Path) -> list[dict]:
    data = git_show(git_dir, BU_COMMIT, BU_PATH).lstrip("\ufeff")
    src = f"{BU_REPO}@{BU_COMMIT[:12]}:{BU_PATH}"
    rows = capped(gp_collect(csv.DictReader(io.StringIO(data)), "busuu", "gp-busuu", src), BU_CAP)
    assign_template_groups(rows, "busuu")
    return rows


# ---------------------------------------------------------------------------------------
# Source 14 (issue 19, helper 55): Google Play developer replies of two Indian state-owned oil
# marketing companies' customer apps, a utilities register the corpus lacked: Hello BPCL
# (com.cgt.bharatgas, Bharat Petroleum: Bharatgas LPG cylinder booking, payments, rewards) and
# IndianOil ONE (cx.indianoil.in, Indian Oil: Indane LPG booking, fuel payments, XTRAREWARDS),
# answering customers about undelivered cylinders, failed bookings and payments, KYC and OTP
# errors, distributors and delivery staff. A google-play-scraper export (`brand`, `content`,
# `score`, `at`, `replyContent`, `replyDate`) of the 10,000 newest reviews of each app, written by
# the repository's `deep_dive_logic.ipynb` (a BPCL vs IndianOil "empathy gap" comparison); the
# export keeps no reviewId, so the id is sha256(review text|date)[:16], as for Uber.
# Selection, fixed before any reply was read: the Google Play rule unchanged (`gp_collect`: reply
# >= 40 chars to a 1-2 star review, English, exact and near-duplicate replies dropped per app), the
# pool of each app whole (IndianOil 263, BPCL 25: BPCL answers with a few macros), template groups
# per app (`gp-indianoil-t...`, `gp-bpcl-t...`); read in sha256(id) order.
OG_REPO = "atharvsp6/BPCL-Voice-of-Customer"
OG_COMMIT = "06e193155064e3a8c6efc62fb60a3e8185263dd0"
OG_PATH = "empathy_gap_balanced_10k.csv"
OG_BRANDS = {"BPCL": "bpcl", "IOCL": "indianoil"}
OG_CAP = {"bpcl": 25, "indianoil": 263}  # fixed before any reply was read: each pool whole


def extract_oilgas(git_dir: Path) -> list[dict]:
    data = git_show(git_dir, OG_COMMIT, OG_PATH).lstrip("\ufeff")
    by_app: dict[str, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(data)):
        app = OG_BRANDS.get((row.get("brand") or "").strip())
        if app is None:
            continue
        review = clean(row.get("content") or "")
        rid = hashlib.sha256((review + "|" + (row.get("at") or "")).encode()).hexdigest()[:16]
        by_app.setdefault(app, []).append(
            {
                "replyContent": row.get("replyContent") or "",
                "score": row.get("score") or "",
                "content": review,
                "reviewId": rid,
            }
        )
    src = f"{OG_REPO}@{OG_COMMIT[:12]}:{OG_PATH}"
    return capped_apps(by_app, OG_CAP, src)


# ---------------------------------------------------------------------------------------
# Source 15 (issue 19, helper 56): Mozilla's public developer replies to Google Play reviews of
# Firefox for Android (org.mozilla.firefox, "Fennec"), a Western software-support register the
# corpus lacked: a browser maker's support desk (replies posted as the developer during a 2018
# review-replying sprint of Mozilla's support team) answering users about crashes, slowness, removed
# add-ons and features, sync, updates, ads and default settings. The file is the developers' own
# Google Play Console review export (`Developer Reply Text`, `Star Rating`, `Reviewer Language`,
# `Review Title`, `Review Text`, `id` = "gp:" + the Google reviewId; our ids read
# `gp-firefox-<reviewId>`), the 1,407 reviews Mozilla replied to from 16 May 2018, committed by a
# Mozilla support engineer's analysis repository (MPL-2.0).
# Selection, fixed and committed before any reply or review of the file was read: reviews with
# `Reviewer Language == "en"`, then the Google Play rule unchanged (`gp_collect`: reply >= 40 chars to
# a 1-2 star review, English, exact and near-duplicate replies dropped, file order): a pool of 362
# (sized by script, row counts only); then a cap of FX_CAP = 300 by a *salted* sha256 of the id
# (FX_SALT; lowest first, file order kept), fixed by pool size only; template groups
# `gp-firefox-t...`. Every extracted reply is read and labelled in sha256(id) order, flawed and clean
# alike, `XX` for replies not answering a complaint or not in English (sheet work/labels_fx_01.txt).
FX_REPO = "rtanglao/052018sprint-rt-fennec-gplay-oi"
FX_COMMIT = "16d183c3815a9fa455bcceceb21c8702d5c87fcb"
FX_PATH = "15july2018-run-experiment2-1407-replies-to-reviews.csv"
FX_SALT = "accord-coach-helper56-firefox:"
FX_CAP = 300  # fixed before any reply was read, by pool size only (362 after the rule)


def extract_firefox(git_dir: Path) -> list[dict]:
    data = git_show(git_dir, FX_COMMIT, FX_PATH).lstrip("\ufeff")
    rows_in: list[dict] = []
    for row in csv.DictReader(io.StringIO(data)):
        if (row.get("Reviewer Language") or "").strip() != "en":
            continue
        title, body = clean(row.get("Review Title") or ""), clean(row.get("Review Text") or "")
        title = "" if title == "null" else title  # the export writes a missing title as "null"
        rows_in.append(
            review_row(
                row.get("Developer Reply Text") or "",
                row.get("Star Rating") or "",
                title,
                body,
                (row.get("id") or "").strip().removeprefix("gp:"),
            )
        )
    src = f"{FX_REPO}@{FX_COMMIT[:12]}:{FX_PATH}"
    pool = gp_collect(rows_in, "firefox", "gp-firefox", src)
    rows = salted_cap(pool, FX_SALT, FX_CAP)
    assign_template_groups(rows, "firefox")
    return rows


# ---------------------------------------------------------------------------------------
# Source 16 (issue 19, helper 57): Google Play developer replies of Western and international
# productivity apps (to-do lists, planners, calendars, habit trackers, focus timers), a
# productivity/SaaS register the corpus lacked: small software makers' support desks answering users
# about sync failures, lost tasks, premium paywalls and subscriptions, reminders, widgets and
# crashes. A google-play-scraper export (`reviewId`, `content`, `score`, `at`, `replyContent`,
# `repliedAt`, `sortOrder`, `appId`) written by the notebook of Venelin Valkov's 2020 BERT
# sentiment tutorial (up to 200 reviews per star rating per sort order, per app), committed by a
# Korean student's transformer-tutorial repository (no LICENSE file). Ids `gp-<app>-<reviewId>`.
# Selection, fixed and committed before any reply or review of the file was read: per app, the
# Google Play rule unchanged (`gp_collect`: reply >= 40 chars to a 1-2 star review, English, exact
# and near-duplicate replies dropped per app, file order): pools sized by script (row counts only),
# 1,137 in all over 14 apps (HabitBull has no reply); then a cap of PR_CAP = 20 per app by a *salted*
# sha256 of the id (PR_SALT; lowest first, file order kept), fixed by pool sizes only, so that no one
# app's desk dominates: 241 rows. Template groups per app (`gp-<app>-t...`). Every extracted reply is
# read and labelled in sha256(id) order, flawed and clean alike, `XX` for replies not answering a
# complaint or not in English (sheet work/labels_pr_01.txt).
PR_REPO = "Hoonst/transformer"
PR_COMMIT = "b1f769578666d91f5e264f2552d9841e45768629"
PR_PATH = "reviews.csv"
PR_SALT = "accord-coach-helper57-productivity:"
PR_CAP = 20  # per app; fixed before any reply was read, by pool sizes only
PR_APPS = {  # appId -> our short name, in the file's order
    "com.anydo": "anydo",
    "com.todoist": "todoist",
    "com.ticktick.task": "ticktick",
    "com.habitrpg.android.habitica": "habitica",
    "cc.forestapp": "forest",
    "com.oristats.habitbull": "habitbull",
    "com.levor.liferpgtasks": "liferpg",
    "com.habitnow": "habitnow",
    "com.microsoft.todos": "mstodo",
    "prox.lab.calclock": "calclock",
    "com.gmail.jmartindev.timetune": "timetune",
    "com.artfulagenda.app": "artfulagenda",
    "com.tasks.android": "tasks",
    "com.appgenix.bizcal": "bizcal",
    "com.appxy.planner": "planner",
}


def extract_productivity(git_dir: Path) -> list[dict]:
    data = git_show(git_dir, PR_COMMIT, PR_PATH).lstrip("\ufeff")
    by_app: dict[str, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(data)):
        by_app.setdefault((row.get("appId") or "").strip(), []).append(row)
    src = f"{PR_REPO}@{PR_COMMIT[:12]}:{PR_PATH}"
    out: list[dict] = []
    for app_id, app in PR_APPS.items():
        pool = gp_collect(by_app.get(app_id, []), app, f"gp-{app}", src)
        rows = salted_cap(pool, PR_SALT, PR_CAP)
        assign_template_groups(rows, app)
        out.extend(rows)
    return out


# ---------------------------------------------------------------------------------------
# Source 17 (issue 19, helper 58): Google Play developer replies of four Western dating apps, a
# dating / consumer-subscription register the corpus lacked: Bumble (Bumble Inc., US), Tinder (Match
# Group, US), OkCupid (Match Group, US) and happn (FTW & Co, France), whose support desks answer
# users about banned or blocked accounts, subscriptions and refunds, fake profiles, matching and
# crashes. Node google-play-scraper output (a JSON array per app: `id` "gp:" + reviewId, `score`,
# `title`, `text`, `replyText`, `replyDate`) of the 4,480 newest reviews of each app in February
# 2019, committed by a small analysis repository (no LICENSE file); the extension-less JSON files are
# read (the `.csv` copies drop the reply). Ids `gp-<app>-<reviewId>`.
# Selection, fixed and committed before any reply or review of the files was read: per app, the
# Google Play rule unchanged (`gp_collect`: reply >= 40 chars to a 1-2 star review, English, exact
# and near-duplicate replies dropped per app, file order): pools sized by script (row counts only)
# Bumble 581, happn 28, OkCupid 97, Tinder 26; then a cap per app (DT_CAP, the two small pools whole)
# by a *salted* sha256 of the id (DT_SALT; lowest first, file order kept), fixed by pool sizes only so
# that Bumble's desk does not dominate: 184 rows. Template groups per app (`gp-<app>-t...`). Every
# extracted reply is read and labelled in sha256(id) order, flawed and clean alike, `XX` for replies
# not answering a complaint or not in English (sheet work/labels_dt_01.txt).
DT_REPO = "nanavatisneha/dating-app-reviews"
DT_COMMIT = "5e242e44edcd0241082ae7eb06f6540ed43f9174"
DT_APPS = {
    "bumble": "bumble_reviews",
    "happn": "happn_reviews",
    "okcupid": "okcupid_reviews",
    "tinder": "tinder_reviews",
}
DT_SALT = "accord-coach-helper58-dating:"
DT_CAP = {"bumble": 70, "happn": 28, "okcupid": 60, "tinder": 26}  # fixed before any reply was read


def extract_dating(git_dir: Path) -> list[dict]:
    out: list[dict] = []
    for app, path in DT_APPS.items():
        rows_in: list[dict] = []
        for row in json.loads(git_show(git_dir, DT_COMMIT, path).lstrip("\ufeff")):
            title, body = clean(row.get("title") or ""), clean(row.get("text") or "")
            rows_in.append(
                review_row(
                    row.get("replyText") or "",
                    row.get("score") or "",
                    title,
                    body,
                    (row.get("id") or "").strip().removeprefix("gp:"),
                )
            )
        pool = gp_collect(rows_in, app, f"gp-{app}", f"{DT_REPO}@{DT_COMMIT[:12]}:{path}")
        rows = salted_cap(pool, DT_SALT, DT_CAP[app])
        assign_template_groups(rows, app)
        out.extend(rows)
    return out


# ---------------------------------------------------------------------------------------
# Source 18 (issue 19, helper 59): iOS App Store developer responses of food-delivery apps in
# Singapore, the first App Store register of a delivery desk (not Google Play; not an Indian app):
# GrabFood (Grab, Singapore's ride-hailing and delivery super-app), with Deliveroo and foodpanda
# (one reply each). An app-store-scraper export (`date`, `isEdited`, `developerResponse` = a Python
# dict literal "{'id': .., 'body': .., 'modified': ..}", `review`, `rating`, `title`, `userName`,
# `app`) of 13,446 reviews written in December 2021 by the `apple_app_store_scrape.ipynb` notebook
# of a University of Michigan MADS team project (MIT LICENSE for the project's own work). The
# export keeps no review id, so ids are the App Store response id: `as-<app>-r<id>`.
# Selection, fixed and committed before any reply or review of the file was read: per app (file
# order), the Google Play rule unchanged (`gp_collect`: reply >= 40 chars to a 1-2 star review,
# English, exact and near-duplicate replies dropped per app): pools sized by script (row counts
# only) GrabFood 674, Deliveroo 1, foodpanda 1; then a cap per app (SG_CAP, the two singletons
# whole) by a *salted* sha256 of the id (SG_SALT; lowest first, file order kept), fixed by pool
# sizes only: 152 rows. Template groups per app (`as-<app>-t...`). Every extracted reply is read
# and labelled in sha256(id) order, flawed and clean alike, `XX` for replies not answering a
# complaint or not in English (sheet work/labels_sg_01.txt).
SG_REPO = "mads-app-reviews-nlp/app-reviews-nlp"
SG_COMMIT = "4a9977c112dd81f57f30b0196d8184f8cd8097a2"
SG_PATH = "playground/stanley/apple_app_store_reviews.csv"
SG_APPS = {"GrabFood": "grabfood", "FoodPanda": "foodpanda", "Deliveroo": "deliveroo"}  # `app` -> ours
SG_SALT = "accord-coach-helper59-appstore-sg:"
SG_CAP = {"grabfood": 150, "foodpanda": 1, "deliveroo": 1}  # fixed before any reply was read


def extract_appstore_fooddelivery(git_dir: Path) -> list[dict]:
    data = git_show(git_dir, SG_COMMIT, SG_PATH).lstrip("\ufeff")
    by_app: dict[str, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(data)):
        answered = appstore_row(row)
        if answered is not None:
            by_app.setdefault((row.get("app") or "").strip(), []).append(answered)
    src = f"{SG_REPO}@{SG_COMMIT[:12]}:{SG_PATH}"
    out: list[dict] = []
    for key, app in SG_APPS.items():
        pool = gp_collect(by_app.get(key, []), app, f"as-{app}", src)
        out.extend(non_app_template_groups(salted_cap(pool, SG_SALT, SG_CAP[app]), f"as-{app}"))
    return out


# ---------------------------------------------------------------------------------------
# Source 19 (issue 19, helper 60): iOS App Store developer responses of GetGo, a Singapore
# car-sharing company (hourly self-drive cars booked and unlocked in the app), a car-sharing /
# rental register the corpus lacked (App Store, not Google Play; not an Indian app, not a hotel,
# not food delivery, not Grab). An app-store-scraper export (`date`, `developerResponse` = a Python
# dict literal "{'id': .., 'body': .., 'modified': ..}", `review`, `rating`, `isEdited`, `title`,
# `userName`) of 616 reviews of GetGo (app id 1545316216, Singapore store), committed in February
# 2023 by a small data-science repository. The export keeps no review id, so ids are the App Store
# response id: `as-getgo-r<id>`.
# Selection, fixed and committed before any reply or review of the file was read: the Google Play
# rule unchanged (`gp_collect`: reply >= 40 chars to a 1-2 star review, English, exact and
# near-duplicate replies dropped), pool sized by script (row counts only): 79; then a cap (GG_CAP, the
# brief's "at most ~40 per company") by a *salted* sha256 of the id (GG_SALT; lowest first, file order
# kept), fixed by the pool size only. Template groups (`as-getgo-t...`). Every extracted reply is read
# and labelled in sha256(id) order, flawed and clean alike, `XX` for replies not answering a complaint
# or not in English (sheet work/labels_gg_01.txt).
GG_REPO = "taoo0316/GetGo-App-Reviews"
GG_COMMIT = "9952ff85e353946e7a6df89fb441fa49aecff75b"
GG_PATH = "getgo.csv"
GG_SALT = "accord-coach-helper60-appstore-getgo:"
GG_CAP = 40  # fixed before any reply was read, from the pool size only


def extract_appstore_carsharing(git_dir: Path) -> list[dict]:
    data = git_show(git_dir, GG_COMMIT, GG_PATH).lstrip("\ufeff")
    answered = (appstore_row(row) for row in csv.DictReader(io.StringIO(data)))
    rows_in = [r for r in answered if r is not None]
    src = f"{GG_REPO}@{GG_COMMIT[:12]}:{GG_PATH}"
    pool = gp_collect(rows_in, "getgo", "as-getgo", src)
    return non_app_template_groups(salted_cap(pool, GG_SALT, GG_CAP), "as-getgo")


# ---------------------------------------------------------------------------------------
# Source 20 (issue 19, helper 62): iOS App Store developer responses of three European neobanks, a
# Western retail-banking App Store register the corpus lacked (not Google Play; not an Indian app, not
# a hotel): bunq (Dutch bank), Revolut (UK / Lithuanian-licensed bank) and N26 (German bank). The
# app-store-scraper exports (Dutch store, `country='nl'`, 1,000 / 1,000 / 462 reviews, March 2025) of
# a Rotterdam School of Management master's thesis on FinTech banks in the Netherlands, saved as Excel
# workbooks (`date`, `review`, `rating`, `isEdited`, `title`, `userName`, `developerResponse` = the
# Python dict literal "{'id': .., 'body': .., 'modified': ..}" as text). Read with the standard
# library (`xlsx_rows`: the first sheet's cells, shared strings resolved). The export keeps no review
# id, so ids are the App Store response id: `as-<app>-r<id>`. The repository's Reddit, survey and
# Google Play files are not used.
# Selection, fixed and committed before any reply or review of the files was read: per app (the order
# of NB_FILES), replies that read as Dutch or German (NB_NON_EN, a list of common function words fixed
# in advance: the store is Dutch) dropped, then the Google Play rule unchanged (`gp_collect`: reply >=
# 40 chars to a 1-2 star review, English, exact and near-duplicate replies dropped per app): pools
# sized by script (row counts only) bunq 226, Revolut 202, N26 92; then a cap per app (NB_CAP, within
# the brief's "at most ~40 per company") by a *salted* sha256 of the id (NB_SALT; lowest first, file
# order kept), fixed by pool sizes only: 105 rows.
# Template groups per app (`as-<app>-t...`). Every extracted reply is read and labelled in sha256(id)
# order, flawed and clean alike, `XX` for replies not answering a complaint or not in English (sheet
# work/labels_nb_01.txt).
NB_REPO = "N-56/Thesis-Code"
NB_COMMIT = "a16ec2e825475ae0e0c88b555975ccee5b273677"
NB_FILES = {
    "bunq": "Data/Bunq_AppStore_reviews.xlsx",
    "revolut": "Data/Revolut_AppStore_reviews.xlsx",
    "n26": "Data/N26_AppStore_reviews.xlsx",
}
NB_NON_EN = re.compile(
    r"\b(je|jij|jouw|jullie|wij|het|een|niet|voor|bedankt|onze|graag|helaas|hoi|groet|groeten|"
    r"ich|wir|und|nicht|danke|bitte|leider|deine|dein|uns|für|viele)\b",
    re.IGNORECASE,
)
NB_SALT = "accord-coach-helper62-appstore-neobanks:"
NB_CAP = {"bunq": 35, "revolut": 35, "n26": 35}  # fixed before any reply was read, from pool sizes only
XLSX_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def xlsx_rows(git_dir: Path, commit: str, path: str) -> list[dict]:
    """The first worksheet of an .xlsx file in the snapshot as dicts keyed by the header row."""
    blob = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"], capture_output=True, check=True
    ).stdout
    book = zipfile.ZipFile(io.BytesIO(blob))
    shared: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        for si in ET.fromstring(book.read("xl/sharedStrings.xml")).iter(XLSX_NS + "si"):
            shared.append("".join(t.text or "" for t in si.iter(XLSX_NS + "t")))
    grid: list[dict[str, str]] = []
    for row in ET.fromstring(book.read("xl/worksheets/sheet1.xml")).iter(XLSX_NS + "row"):
        cells: dict[str, str] = {}
        for c in row.iter(XLSX_NS + "c"):
            col = re.match(r"[A-Z]+", c.get("r") or "").group(0)
            v = c.find(XLSX_NS + "v")
            if c.get("t") == "s":
                cells[col] = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                cells[col] = "".join(t.text or "" for t in c.iter(XLSX_NS + "t"))
            else:
                cells[col] = v.text if v is not None and v.text else ""
        grid.append(cells)
    header = grid[0]
    return [{name: cells.get(col, "") for col, name in header.items()} for cells in grid[1:]]


def extract_appstore_neobanks(git_dir: Path) -> list[dict]:
    out: list[dict] = []
    for app, path in NB_FILES.items():
        answered = (appstore_row(row) for row in xlsx_rows(git_dir, NB_COMMIT, path))
        rows_in = [r for r in answered if r is not None and not NB_NON_EN.search(r["replyContent"])]
        src = f"{NB_REPO}@{NB_COMMIT[:12]}:{path}"
        pool = gp_collect(rows_in, app, f"as-{app}", src)
        out.extend(non_app_template_groups(salted_cap(pool, NB_SALT, NB_CAP[app]), f"as-{app}"))
    return out


# ---------------------------------------------------------------------------------------
# Source 21 (issue 19, helper 64): Google Play developer replies of three online marketplaces, an
# e-commerce / classifieds register the corpus lacked (not a bank, not a delivery or ride app, not a
# hotel): AliExpress (Alibaba Group's cross-border retail marketplace), Alibaba.com (its B2B wholesale
# marketplace) and Jiji (a Nigerian classifieds marketplace, jiji.ng). A google-play-scraper export
# (US store, English; the 500 newest reviews per app, July 2025) written by the repository's
# `scraper.py` into SQL Server and exported with cleaning columns as `cleaned_reviews_data.csv`
# (`AppName`, `PlayStoreReviewID`, `ReviewText`, `Rating`, `ReplyContent`, `RepliedAt`, ...) by a
# student's e-commerce review-analysis project. Ids `gp-<app>-<Google reviewId>`.
# Selection, fixed and committed before any reply or review of the file was read: per app (file
# order), the Google Play rule unchanged (`gp_collect`: reply >= 40 chars to a 1-2 star review,
# English, exact and near-duplicate replies dropped per app): pools sized by script (row counts only)
# AliExpress 13, Alibaba 9, Jiji 62; every pool taken whole (EC_CAP), so the cap selects nothing.
# Template groups per app (`gp-<app>-t...`). Every extracted reply is read and labelled in sha256(id)
# order, flawed and clean alike, `XX` for replies not answering a complaint or not in English (sheet
# work/labels_ec_01.txt).
EC_REPO = "nebekisa/ecommerce-app-review-analysis"
EC_COMMIT = "4747367f7f9127980c2ef0a27e593e6a6bb11de6"
EC_PATH = "cleaned_reviews_data.csv"
EC_APPS = {"AliExpress": "aliexpress", "Alibaba": "alibaba", "Jiji": "jiji"}  # `AppName` -> ours
EC_CAP = {"aliexpress": 13, "alibaba": 9, "jiji": 62}  # fixed before any reply was read: each pool whole


def extract_marketplaces(git_dir: Path) -> list[dict]:
    data = git_show(git_dir, EC_COMMIT, EC_PATH).lstrip("\ufeff")
    by_app: dict[str, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(data)):
        app = EC_APPS.get((row.get("AppName") or "").strip())
        if app:
            by_app.setdefault(app, []).append(
                review_row(
                    row.get("ReplyContent") or "",
                    row.get("Rating") or "",
                    "",
                    clean(row.get("ReviewText") or ""),
                    (row.get("PlayStoreReviewID") or "").strip(),
                )
            )
    return capped_apps(by_app, EC_CAP, f"{EC_REPO}@{EC_COMMIT[:12]}:{EC_PATH}")


# ---------------------------------------------------------------------------------------
# Sources 22 and 23 (issue 19, helper 65): Google Play developer replies of two mental-health apps, a
# health / mental-health register the corpus lacked (not a bank, not a delivery, ride or marketplace
# app, not a hotel): Headspace (meditation and mental-health subscriptions, Headspace Inc., US; Canada
# store) and MindDoc (mood tracking and self-help courses, MindDoc Health GmbH, Germany; US store). Two
# student repositories of a York University software-requirements course (EECS 4312, winter 2026), each
# holding the raw google-play-scraper output of one app as `data/reviews_raw.jsonl` (`reviewId`,
# `content`, `score`, `at`, `replyContent`, `repliedAt`, ...; `lang='en'`, `Sort.NEWEST`): 2,600
# Headspace reviews (December 2024 - March 2026) and 5,000 MindDoc reviews (July 2019 - April 2026).
# Ids `gp-<app>-<Google reviewId>`.
# Selection, fixed and committed before any reply or review of the files was read: per app, the Google
# Play rule unchanged (`gp_collect`: reply >= 40 chars to a 1-2 star review, English, exact and
# near-duplicate replies dropped): pools sized by script (row counts only) Headspace 174, MindDoc 168;
# then a cap per app (MH_CAP) by a *salted* sha256 of the id (MH_SALT; lowest first, file order kept),
# fixed by pool sizes only. Template groups per app (`gp-<app>-t...`). Every extracted reply is read and
# labelled in sha256(id) order, flawed and clean alike, `XX` for replies not answering a complaint or not
# in English (sheet work/labels_mh_01.txt).
MH_PATH = "data/reviews_raw.jsonl"
MH_SOURCES = {
    "headspace": ("218945030/EECS4312_W26_SpecChain_218945030", "344700d2247743967e812579271fe46eb9ccf09f"),
    "minddoc": ("DexterSargent/EECS4312_W26_SpecChain_217931460", "ee80f9d3122ffcc6cf60eb2abd9258b75448e5d2"),
}
MH_SALT = "accord-coach-helper65-googleplay-mentalhealth:"
MH_CAP = 90  # per app; fixed before any reply was read, from pool sizes only


def mh_rows(app: str, git_dir: Path) -> list[dict]:
    repo, commit = MH_SOURCES[app]
    rows_in = [json.loads(line) for line in git_show(git_dir, commit, MH_PATH).splitlines() if line.strip()]
    pool = gp_collect(rows_in, app, f"gp-{app}", f"{repo}@{commit[:12]}:{MH_PATH}")
    rows = salted_cap(pool, MH_SALT, MH_CAP)
    assign_template_groups(rows, app)
    return rows


def extract_headspace(git_dir: Path) -> list[dict]:
    return mh_rows("headspace", git_dir)


def extract_minddoc(git_dir: Path) -> list[dict]:
    return mh_rows("minddoc", git_dir)


# ---------------------------------------------------------------------------------------
# Source 24 (issue 19, helper 67): Google Play developer replies of three music-streaming apps, a
# streaming / music register the corpus lacked (not a bank, not a delivery, ride or marketplace app,
# not a hotel, not a health app): Wynk Music (`com.bsbportal.music`; Bharti Airtel, the Indian telecom
# operator), Spotify (`com.spotify.music`; Spotify AB, Sweden) and JioSaavn (`com.jio.media.jiobeats`;
# Saavn Media, part of Reliance Jio). google-play-scraper `reviews_all` output (`lang='en'`,
# `country='in'`, `Sort.NEWEST`; the scraper's run was cut short, so each file holds the ~600-1,600
# newest reviews) saved by pandas as Excel workbooks `data/reviews-<appId>_<date>.xlsx` (30 April 2024;
# `reviewId`, `content`, `score`, `at`, `replyContent`, `repliedAt`, ...), committed by a small
# scraping repository (`Play_store_Scraper.py`, MIT LICENSE for its own work). Two to four workbooks per
# app are successive runs of the same scrape, so rows repeat across them: per app every workbook is read
# in path order and each `reviewId` is kept once (its first occurrence). Ids `gp-<app>-<Google reviewId>`.
# Selection, fixed and committed before any reply or review of the files was read: per app, the Google
# Play rule unchanged (`gp_collect`: reply >= 40 chars to a 1-2 star review, English, exact and
# near-duplicate replies dropped): pools sized by script (row counts only) Wynk 24, Spotify 31,
# JioSaavn 4 (the three desks answer with a few macros, so most replies are near-duplicates); every pool
# is taken whole (MS_CAP; the salted cap selects nothing). Template groups per app (`gp-<app>-t...`).
# Every extracted reply is read and labelled in file order, flawed and clean alike, `XX` for replies not
# answering a complaint or not in English (sheet work/labels_ms_01.txt). The repository's other files
# (scripts, workflows, a movie list, a credentials file) are not read.
MS_REPO = "Rajeshhugar/Play_Store_Scraper"
MS_COMMIT = "542f3b6a378d1fa5cca3fa6ed72410985b98b67e"
MS_APPS = {  # appId -> our short name, in extraction order
    "com.bsbportal.music": "wynk",
    "com.spotify.music": "spotify",
    "com.jio.media.jiobeats": "jiosaavn",
}
MS_SALT = "accord-coach-helper67-googleplay-music:"
MS_CAP = {"wynk": 24, "spotify": 31, "jiosaavn": 4}  # fixed before any reply was read: each pool whole


def extract_music_streaming(git_dir: Path) -> list[dict]:
    listing = subprocess.run(
        ["git", "--git-dir", str(git_dir), "ls-tree", "-r", "--name-only", MS_COMMIT, "data/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    out: list[dict] = []
    for app_id, app in MS_APPS.items():
        paths = sorted(p for p in listing if p.startswith(f"data/reviews-{app_id}_") and p.endswith(".xlsx"))
        first: dict[str, dict] = {}
        for path in paths:
            for row in xlsx_rows(git_dir, MS_COMMIT, path):
                first.setdefault((row.get("reviewId") or "").strip(), row)
        src = f"{MS_REPO}@{MS_COMMIT[:12]}:data/reviews-{app_id}_*.xlsx"
        pool = gp_collect(list(first.values()), app, f"gp-{app}", src)
        rows = salted_cap(pool, MS_SALT, MS_CAP[app])
        assign_template_groups(rows, app)
        out.extend(rows)
    return out


SOURCES = {
    "tripadvisor_hotels": (TA_REPO, extract_tripadvisor),
    "tripadvisor_hospo_respo": (HR_REPO, extract_hospo_respo),
    "googleplay_phonepe": (GP_SOURCES["phonepe"][0], extract_phonepe),
    "googleplay_uber": (GP_SOURCES["uber"][0], extract_uber),
    "googleplay_fintech": (FT_REPO, extract_fintech),
    "googleplay_anz": (ANZ_REPO, extract_anz),
    "support_skillrecordings": (SR_REPO, extract_skillrecordings),
    "googleplay_hiking": (HK_REPO, extract_hiking),
    "trustpilot_rentals": (TP_REPO, extract_trustpilot_rentals),
    "googleplay_fooddelivery": (FD_REPO, extract_fooddelivery),
    "apps_entertainment": (ENT_REPO, extract_entertainment_apps),
    "trustpilot_bank": (KT_REPO, extract_trustpilot_bank),
    "googleplay_busuu": (BU_REPO, extract_busuu),
    "googleplay_oilgas": (OG_REPO, extract_oilgas),
    "googleplay_firefox": (FX_REPO, extract_firefox),
    "googleplay_productivity": (PR_REPO, extract_productivity),
    "googleplay_dating": (DT_REPO, extract_dating),
    "appstore_fooddelivery": (SG_REPO, extract_appstore_fooddelivery),
    "appstore_carsharing": (GG_REPO, extract_appstore_carsharing),
    "appstore_neobanks": (NB_REPO, extract_appstore_neobanks),
    "googleplay_marketplaces": (EC_REPO, extract_marketplaces),
    "googleplay_headspace": (MH_SOURCES["headspace"][0], extract_headspace),
    "googleplay_minddoc": (MH_SOURCES["minddoc"][0], extract_minddoc),
    "googleplay_music": (MS_REPO, extract_music_streaming),
}


def locate(repo: str, mirror_root: Path, explicit: dict[str, Path]) -> Path:
    if repo in explicit:
        return explicit[repo]
    return mirror_root / repo.replace("/", "+") / "repo"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--repo", action="append", default=[], help="owner/name=/path/to/git-dir")
    ap.add_argument("--out", type=Path, default=HERE / "texts")
    args = ap.parse_args(argv)
    explicit = {}
    for item in args.repo:
        name, _, path = item.partition("=")
        explicit[name] = Path(path)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (repo, fn) in SOURCES.items():
        git_dir = locate(repo, args.mirror_root, explicit)
        rows = fn(git_dir)
        out = args.out / f"{name}.jsonl"
        with out.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
        digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
        print(f"{name}: {len(rows)} rows -> {out} sha256:{digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
