"""People: registering with an invite code (/dangky, /start), linking a Telegram and a
Zalo account (/lienket, /kenh), invites (/moi), language (/ngonngu), help (/trogiup) and
the answers to strangers and to mistyped commands."""
