"""Rebuilding the shipped model artifacts (torch and scikit-learn): never imported at run time.

`accord.triage` runs the artifacts in numpy; this package fits them (`training`) and fine-tunes MiniLM
(`tuning`). It installs with Accord, but needs the training extras (`pip install 'accord[torch]'`) to run;
`accord triage train/cv/eval` load it lazily. The reply coach's heads are fitted by `coach_heads`
(`python -m accord_training.coach_heads --corpus DIR`; data and features in `coach_data`), and run in
numpy by `accord.coach.judge`.
"""
