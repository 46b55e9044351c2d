-- Regression seed: a test case whose values name an indicator code longer
-- than 255 characters (fixture_case.c cut the key and read past its buffer).
local L = string.rep("x", 300)
return { id = "long", title = "T", version = "1", source = "S",
  categories = { low = "L" },
  criteria = { { id = "a", category = "low", title = "A",
    test = function(s, p) return s:value(L .. "a", p) > 0.5 end } },
  tests = { { name = "long codes", period = 2023, schools = {
    { code = "A", territory = "T", values = { [L .. "a"] = { [2023] = 0.9 },
                                              [L .. "b"] = { [2023] = 0.1 } } } },
    expect = { low = { "A" } } } } }
