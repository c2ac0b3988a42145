"""The decision (发文, clause 4.3): the city's notice that fixes the final list of training bases.

City HRSS drafts it once the public notice is over, city finance co-signs it (会签), city HRSS issues
it: a document number, the approvals, a training base per approved unit, the official PDFs and the
notifications, which wait in an outbox until city staff release them.
"""
