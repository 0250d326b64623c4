"""A source article, copies of it and an unrelated text, written for the trace tests."""

SOURCE = (
    "Microsoft said on Tuesday that its vision for the Xbox Game Pass service would reach more "
    "players this year, as the company prepares to release several new games.\n\n"
    "The review of the service found that subscribers played more titles than before, "
    "and the company told investors that growth would continue in the second half."
)
SPUN = (
    "Microsoft mentioned on Tuesday that its imaginative and prescient for the Xbox Sport Move "
    "service would reach more players this 12 months, as the firm prepares to release "
    "several new games.\n\n"
    "The evaluation of the service found that subscribers played more titles than before, "
    "and the company advised investors that growth would continue in the second half."
)
REWRITE = (
    "Subscribers to Xbox Game Pass are playing more titles than before, according to a review, "
    "and Microsoft expects the service to keep growing: on Tuesday it described its plans to "
    "reach more players and to release several new games in the second half of the year."
)
UNRELATED = (
    "The city council voted on Wednesday to repair three bridges over the river, after "
    "residents complained for years about potholes and the cost of detours to the hospital."
)
