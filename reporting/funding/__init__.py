"""项目支持 (clause 5.1): the funds each county's finance bureau gives its bases."""
