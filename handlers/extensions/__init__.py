"""Extension requests and a leader's decisions: /duyet and /tuchoi with their buttons and
reasons, the list of pending requests, the notices to leaders and officers, and a
request withdrawn when the task is closed, undone or asked again."""
