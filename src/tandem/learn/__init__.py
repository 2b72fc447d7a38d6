"""Learning from outcomes: labels, metrics, training runs, evaluation and the promotion gate."""
