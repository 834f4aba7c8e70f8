import type { Converter } from "../types.ts";

export const harConverter: Converter = {
  name: "har",
  usage: "",
  options: [],
  convert: () => ({ plan: {}, notes: [] }),
};
