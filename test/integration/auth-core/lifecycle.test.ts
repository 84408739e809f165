import { describeLifecycle } from "../shared/lifecycle-suite.js";
import { makeCoreApp } from "./driver.js";

describeLifecycle("@auth/core", makeCoreApp);
