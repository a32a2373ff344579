local a = require("aws")
a.client("lamda")
