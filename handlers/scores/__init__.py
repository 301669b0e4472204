"""Score sheets in the chat: /diem (figures, one item's card, a score reported in words),
/chamdiem (an admin confirms), and replies to a score reminder landing on their item."""
