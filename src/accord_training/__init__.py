"""Rebuilding triage's shipped model artifacts (torch and scikit-learn): never imported at run time.

`accord.triage` runs the artifacts in numpy; this package fits them (`training`) and fine-tunes MiniLM
(`tuning`). It installs with Accord, but needs the training extras (`pip install 'accord[torch]'`) to run;
`accord triage train/cv/eval` load it lazily.
"""
