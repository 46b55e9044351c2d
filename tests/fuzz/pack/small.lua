local lists = require("lists")
return {
  id = "small", title = "Малый", version = "1", source = "Приказ", period = "2022/23",
  categories = { { id = "low", title = "низкие" } },
  cohorts = { { id = "new", category = "low", title = "новые",
                test = function(s, p) return not s:listed(shnor.period.prev(p), "low") end } },
  criteria = {
    { id = "fail", category = "low", title = "неуспевающие",
      test = function(s, p) return s:value("fail_share", shnor.period.prev(p)) > 0.15 end },
    { id = "bottom", category = "low", title = "нижние",
      test = function(s, p) return shnor.bottom(s, "ege_rus_mean", p, 0.25) end },
  },
  activities = {
    { id = "1.1", section = "1", title = "Анализ", due = "Ежемесячно", responsible = "Руководитель ОО", applies = { "low" } },
    { id = "1.2", section = "1", title = "Совещание", due = "Март 2023", responsible = "УО" },
  },
  targets = {
    { id = "t1", indicator = "fail_share", kind = "reduce_relative", value = 0.1,
      scope = { each = "low" }, baseline = -1 },
  },
  tests = {
    { name = "case", period = "2022/23",
      schools = { { code = "A", territory = "T", values = { fail_share = { ["2021/22"] = 0.3 } } } },
      expect = { low = { "A" } } },
  },
}
