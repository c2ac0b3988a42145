"""考核评估 (clause 6.2): periodic assessments, rectification with its deadline, exit and its notice."""
