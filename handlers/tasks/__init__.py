"""Tasks as people see them: who may see or update which task, the card, the one-message
list (/viec, /quahan, a button per task), search (/tim), and the status buttons a task
offers."""
