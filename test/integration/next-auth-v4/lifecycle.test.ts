import { describeLifecycle } from "../shared/lifecycle-suite.js";
import { makeV4App } from "./driver.js";

describeLifecycle("next-auth v4", makeV4App);
