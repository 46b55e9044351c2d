-- rules/examples/example.lua — the complete small pack of the README (a test keeps the two the same).
local FAIL_LIMIT = 0.15 -- 15 %

return {
  id = "example",
  title = "Пример: школы с низкими образовательными результатами",
  version = "2023.1",
  source = "Приказ №1 от 09.01.2023",

  -- A list keeps the order categories are printed in.
  categories = {
    { id = "low", title = "школы с низкими образовательными результатами" },
    { id = "risk", title = "школы в зоне риска снижения результатов" },
  },

  criteria = {
    { id = "fail_high", category = "low",
      title = "Доля неуспевающих выше 15% два года подряд",
      test = function(s, p)
        return s:value("fail_share", shnor.period.prev(p)) > FAIL_LIMIT
           and s:value("fail_share", p) > FAIL_LIMIT
      end },

    { id = "ege_bottom", category = "low",
      title = "Нижние 10% района по среднему баллу ЕГЭ (в районе не менее 5 школ)",
      test = function(s, p)
        return shnor.bottom(s, "ege_rus_mean", p, 0.10, s.territory, 5)
      end },

    { id = "below_mean_adverse", category = "risk",
      title = "Балл ЕГЭ ниже среднего по району при ИСБ ниже 0,4",
      test = function(s, p)
        if s:attr_number("ИСБ") >= 0.4 then return false end
        return s:value("ege_rus_mean", p) < shnor.mean("ege_rus_mean", p, s.territory)
      end },
  },

  tests = {
    { name = "каждый критерий срабатывает на своей школе",
      period = "2023",
      indicators = {
        fail_share = { unit = "share", better = "lower" },
        ege_rus_mean = { unit = "score", better = "higher" },
      },
      schools = {
        { code = "A", territory = "Район", attrs = { ["ИСБ"] = "0,3" },
          values = { fail_share = { [2022] = 0.20, [2023] = 0.20 },
                     ege_rus_mean = { [2023] = 60 } } },
        { code = "B", territory = "Район", attrs = { ["ИСБ"] = "0,5" },
          values = { fail_share = { [2022] = 0.20, [2023] = 0.10 },
                     ege_rus_mean = { [2023] = 40 } } },
        { code = "C", territory = "Район", attrs = { ["ИСБ"] = "0,2" },
          values = { fail_share = { [2022] = 0.05, [2023] = 0.05 },
                     ege_rus_mean = { [2023] = 55 } } },
        { code = "D", territory = "Район", attrs = { ["ИСБ"] = "0,9" },
          values = { fail_share = { [2022] = 0.10, [2023] = 0.30 },
                     ege_rus_mean = { [2023] = 70 } } },
        { code = "E", territory = "Район", attrs = { ["ИСБ"] = "0,35" },
          values = { fail_share = { [2022] = 0.02, [2023] = 0.01 },
                     ege_rus_mean = { [2023] = 75 } } },
      },
      expect = { low = { "A", "B" }, risk = { "C" } } },
  },
}
