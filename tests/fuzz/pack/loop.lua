return {
  id = "loop", title = "t", version = "1", source = "s",
  categories = { { id = "low", title = "low" } },
  criteria = {
    { id = "spin", category = "low", title = "spins",
      test = function(s, p) while true do pcall(function() end) end end },
  },
}
