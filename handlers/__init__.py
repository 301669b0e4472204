"""The conversation, the same for every channel.

``conversation.Conversation.handle`` turns an ``Incoming`` into ``Outgoing`` messages
through ``router.Router``, where each feature folder registers itself (``features``):

- ``tasks/``: who may see which task, the card, /viec, /quahan, /tim, status buttons;
- ``replies/``: free text, questions, /capnhat, /giahan, /hoantac, files as replies,
  and ``recording`` (the one place a reading is recorded);
- ``extensions/``: /duyet, /tuchoi, pending requests, notices, withdrawal;
- ``evidence/``: which files may be kept, keeping, listing and downloading them;
- ``scores/``: /diem, /chamdiem, replies to score reminders;
- ``reports/``: /tiendo, /baocao, /ketqua, how files reach the person;
- ``reminders/``: the texts the outbox sends, /nhac;
- ``imports/``: /nhap of plans and score sheets;
- ``people/``: /dangky, /lienket, /kenh, /moi, /ngonngu, /trogiup, strangers.

The shared core sits here: ``context`` (Services, Request), ``messages``,
``permissions``, ``choices`` (focus and what was asked), ``guards``, ``short_text``.
See docs/ARCHITECTURE.md.
"""
