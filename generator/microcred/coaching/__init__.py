"""Coaching as records: logs of 1:1 and network meetings, leaders' school improvement
communities, Community Learning Exchange sessions and cohort calendars.

    load.py     files -> schema-checked records (records.py), with the line of every key
    lint.py     records x course -> findings (roster, dates, modules, windows, privacy)
    due.py      calendar x logs x date -> what is due, for a learner or a cohort
    rule.py     logs x programme -> the coaching a module's decision still lacks
    write.py    a new log entry -> its YAML text and its place; private notes kept outside git
    cadence.py  logs -> meetings per network and leader, for the staff report
"""
