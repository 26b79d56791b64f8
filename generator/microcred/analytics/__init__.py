"""Programme analytics for staff: where each learner and module stands, coach turnaround,
"not yet" reasons, and exports for a registrar.

The pipeline, one module per step:

    ledger.py    ledger files            -> decisions, completions, badges (corrupt ones set apart)
    pulls.py     pull requests + reviews -> each submission's history, with its times
    progress.py  roster + both           -> per learner x module standing, per group figures
    render.py    progress                -> text, JSON, CSV, Markdown summary
    export.py    ledger + names file     -> registrar CSV and the badges for bulk import
    charts.py    progress                -> SVG charts (matplotlib, Agg)
    html.py      progress + charts       -> the staff report, never part of the public site
"""
