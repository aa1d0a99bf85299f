// jest's testMatch covers src/ and test/ only, so the example app-repo test would never run on
// its own; importing it registers its describe/test blocks here, and CI fails when it does.
import '../../examples/model-test/shop.test';
