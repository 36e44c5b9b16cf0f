"""The credit lists' rules without Django: the lists as data (lists.yaml), terms counted as the Civil
Code counts periods, the annual filing's due date on the Chinese calendar, and which lists bar which
kinds of application."""
