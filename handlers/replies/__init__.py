"""Officers' answers becoming records: free text and which task it is about, the status
commands (/capnhat, /giahan, /hoantac) and buttons, the questions dondoc asks before
recording (confirm, which task) and their one-tap answers, a file sent as a reply, and
the one place a reading is recorded (``recording``)."""
