# expect-fail: top_slices_found
# why: slices only by the true type, the attribute everyone looks at first, and misses worse slices elsewhere
SLICE_COLUMNS = ["type_1"]
