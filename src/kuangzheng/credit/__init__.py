"""Credit supervision (信用监管): the abnormal list, the serious-dishonesty list, the blacklists and negative lists, annual information filing, and a holder's standing."""
