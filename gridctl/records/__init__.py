"""Patrols and conduct records (巡查、碰头会、出勤、学习、宣传、民意测评): each an event in the chain."""
