# expect-fail: quiet_on_the_true_table, few_false_alarms
# why: treats every column as required, so customers without orders or without a survey answer raise alarms
OPTIONAL_COLUMNS = ()
