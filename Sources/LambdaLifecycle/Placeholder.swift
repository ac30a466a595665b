// placeholder, replaced in this change series
