"""`accord triage`: triage a text, rebuild the models, cross-validate and evaluate them (P4, P5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from accord.cli.context import console, print_json


class _TextOrCommand(TyperGroup):
    """`accord triage "some text"` triages the text; `accord triage cv` etc. run the sub-commands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["text", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_TextOrCommand, help="Read a client message: complaint, severity, anger, threats, with evidence."
)

DATA_HELP = "Training CSV (default: ACCORD_TRIAGE_DATA or ../shared/data/xci-severity/...)."


@app.command("text", hidden=True)
def triage_text(
    text: str = typer.Argument(..., help="The message to triage."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Triage TEXT."""
    from accord.triage.engine import triage  # heavy: numpy, scipy, VADER (~1.5 s); only this command

    result = triage(text).as_dict()
    if as_json:
        print_json(result)
        return
    console.print(
        f"Complaint {result['complaint']:.0%}  reproach: {result['reproach_name']}  "
        f"anger {result['anger']:.0%}  sentiment {result['sentiment']:+.2f}"
    )
    console.print(
        f"Category [bold]{result['category']}[/bold]  severity [bold]{result['severity']}[/bold]: "
        + escape("; ".join(result["reasons"]))
    )
    for ev in result["evidence"]:
        console.print(f"  {ev['signal']}: {escape(ev['text'])}")
    console.print(f"[dim]{result['model_version']}[/dim]")


@app.command("train")
def train(data: Path = typer.Option(None, "--data", help=DATA_HELP)) -> None:
    """Rebuild the shipped model artifacts from the data (fixed seed)."""
    from accord_training.training import CORPUS_CHOICES, CORPUS_REAL_ROWS  # heavy optional: scikit-learn
    from accord_training.training import train as do_train  # heavy optional: torch, scikit-learn

    versions = do_train(data)
    console.print("Trained: " + ", ".join(versions.values()))
    console.print(
        f"  real complaints in the threats' training: {CORPUS_REAL_ROWS[0]}"
        + ("" if CORPUS_REAL_ROWS[0] else " (rebuild them with data/triage/real/rebuild.py to include them)")
    )
    for head, c in CORPUS_CHOICES.items():  # chosen by 5-fold CV on the corpus' train split
        console.print(
            f"  {head:<8} C n-grams {c.c_ngrams:g}, states' C/alpha {c.c_frozen}, "
            f"n-gram weight {c.weight:g}, "
            f"train-split CV {c.cv_score:.3f}"
            + (
                f"; sentence share {c.sentence_share:g}, threshold {c.threshold:g}, "
                f"out-of-fold F1 {c.mix_score:.3f}"
                if c.mix_score is not None
                else ""
            )
        )


@app.command("cv")
def cross_validate(
    data: Path = typer.Option(None, "--data", help=DATA_HELP),
    folds: int = typer.Option(10, "--folds", min=2, help="Number of folds."),
    lite: bool = typer.Option(False, "--lite", help="TF-IDF-only variant (no MiniLM)."),
    by_domain: bool = typer.Option(False, "--by-domain", help="Leave one business domain out at a time."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    save_probs: Path = typer.Option(None, "--save-probs", help="Write out-of-fold probabilities (npz)."),
) -> None:
    """Cross-validation: macro-F1 for complaint, severity and anger (stratified k folds), or per held-out
    domain and their mean (--by-domain). A few minutes on two cores: the encoder's states are cached."""
    from accord_training.training import cross_validate as do_cv  # heavy optional: torch, scikit-learn

    variant = "lite" if lite else "full"
    result = do_cv(data, folds=folds, variant=variant, by_domain=by_domain, save_probs=save_probs)
    if as_json:
        print_json(result)
        return
    if by_domain:
        _print_domains(result)
        return
    rows = [("shipped", result), *result.get("parts", {}).items()]
    for name, scores in rows:
        for head in ("complaint", "severity", "anger"):
            r = scores[head]
            console.print(
                f"{name:<8} {head:<10} macro-F1 {r['macro_f1']:.3f}  accuracy {r['accuracy']:.3f}  n={r['n']}"
            )


def _print_domains(result: dict[str, Any]) -> None:
    for name, scores in result["domains"].items():
        console.print(
            f"{name:<12} complaint macro-F1 {scores['complaint']['macro_f1']:.3f}  "
            f"severity macro-F1 {scores['severity']['macro_f1']:.3f}"
        )
    console.print(
        f"{'mean':<12} complaint macro-F1 {result['complaint']['macro_f1']:.3f}  "
        f"severity macro-F1 {result['severity']['macro_f1']:.3f}"
    )


@app.command("corpus")
def corpus(
    split: str = typer.Option("test", "--split", help="test (held out, never tuned on) or train."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Score the shipped threats and category on our own corpus (data/triage): P/R per threat, accuracy."""
    from accord_training.training import evaluate_corpus  # heavy optional: torch, scikit-learn

    result = evaluate_corpus(split=split)
    if as_json:
        print_json(result)
        return
    for kind in ("legal", "churn", "review"):
        r = result[kind]
        console.print(
            f"{kind:<7} precision {r['precision']:.3f}  recall {r['recall']:.3f}  positives {r['positives']}"
        )
    console.print(f"category accuracy {result['category']['accuracy']:.3f}  n={result['category']['n']}")


@app.command("eval")
def evaluate(
    data: Path = typer.Option(..., "--data", help="CSV with columns text, complaint, severity[, emotion]."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Score the shipped model on a labelled CSV."""
    from accord_training.training import evaluate as do_eval  # heavy optional: scikit-learn

    result = do_eval(data)
    if as_json:
        print_json(result)
        return
    for key, value in result.items():
        console.print(f"{key}: {value}")
