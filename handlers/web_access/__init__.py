"""/web: a sign-in link to the web view (single use, 15 minutes, for the person only),
answered in private chats only, since a link is a credential."""
