"""考核: the quarterly (or yearly) assessment of members, teams and dispatching units."""
