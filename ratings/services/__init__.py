"""Writes of the 好差评 rules. Import from the module that defines a function:
`ratings.services.ratings` (record a rating, the pad, the device accounts), `ratings.services.tickets`
(the 差评工单 and its sweep), `ratings.services.importing` (the province's workbook)."""
