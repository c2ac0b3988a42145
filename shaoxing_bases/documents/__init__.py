"""Official documents (公文) rendered to PDF per GB/T 9704-2012; see DESIGN.md section 7."""
