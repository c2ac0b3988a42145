"""年度报告 (clause 6.3 with the functions of clause 2 and the trainings of clause 5.2): every December
each training base reports this year's work and next year's plan; its county reviews it, then the
city receives it (备案)."""
