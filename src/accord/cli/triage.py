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
    from accord_training.training import train as do_train  # heavy optional: torch, scikit-learn

    versions = do_train(data)
    console.print("Trained: " + ", ".join(versions.values()))


@app.command("cv")
def cross_validate(
    data: Path = typer.Option(None, "--data", help=DATA_HELP),
    folds: int = typer.Option(10, "--folds", min=2, help="Number of folds."),
    lite: bool = typer.Option(False, "--lite", help="TF-IDF-only variant (no MiniLM)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    save_probs: Path = typer.Option(None, "--save-probs", help="Write out-of-fold probabilities (npz)."),
) -> None:
    """Stratified k-fold cross-validation: macro-F1 and accuracy for complaint, severity and anger.

    The full variant fine-tunes MiniLM three times in every fold (needs torch; about 4 minutes a fold on two
    cores)."""
    from accord_training.training import cross_validate as do_cv  # heavy optional: torch, scikit-learn

    result = do_cv(data, folds=folds, variant="lite" if lite else "full", save_probs=save_probs)
    if as_json:
        print_json(result)
        return
    rows = [("shipped", result), *result.get("parts", {}).items()]
    for name, scores in rows:
        for head in ("complaint", "severity", "anger"):
            r = scores[head]
            console.print(
                f"{name:<8} {head:<10} macro-F1 {r['macro_f1']:.3f}  accuracy {r['accuracy']:.3f}  n={r['n']}"
            )


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
