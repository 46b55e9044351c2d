local ok = pcall(function() return string.rep("x", 1e9) end)
setmetatable({}, { __gc = function() while true do end end })
local t = {}
return {
  id = "hostile", title = "t", version = "1", source = "s", period = "2023",
  categories = { { id = "low", title = "low" }, { id = "risk", title = "risk" } },
  criteria = {
    { id = "mem", category = "low", title = "eats memory",
      test = function(s, p) for i = 1, 1e7 do t[i] = tostring(i) .. s.code end return false end },
    { id = "pat", category = "risk", title = "pattern",
      test = function(s, p) return (string.rep("a", 30000) .. "c"):find(".-b") ~= nil end },
  },
}
