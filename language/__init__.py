"""Reading Vietnamese (and English) the way plans and officers write it: pure functions,
no database, no conversation. The plan-deadline grammar (``deadline_tokens`` →
``deadline_rhythms`` → ``deadlines``), officers' status replies (``status_words`` →
``status_dates`` → ``status_text``), small talk, task references, score words, the dates
of extension requests, and command names typed with accents or typos. Hand-written where
no library reads these forms; it imports nothing of ours but the message catalogs."""
