"""The base register (基础信息: 人、地、物、组织) and each household's 民情档案.

`config` reads configs/register.yaml; `identity` keeps 身份证号 out of the ledger (keyed
hash + last four); `fields` checks one entry; `service` adds, updates, moves and retires
entries as events; `transfer` imports sheets; `dossier` is a household's 民情档案; `due`
lists who is overdue a visit.
"""
