"""Tasks the city gives (/giao, ``dondoc assign``) and a leader's instructions that
reach the unit (handlers/assigned/routes.py registers them)."""
