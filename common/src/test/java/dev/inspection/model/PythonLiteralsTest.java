package dev.inspection.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PythonLiteralsTest {

    @Test
    void readsUltralyticsNames() {
        assertThat(PythonLiterals.classNames("{0: 'person', 1: 'bicycle', 2: \"people's car\", 3: 'a\\'b'}"))
                .containsExactly("person", "bicycle", "people's car", "a'b");
        assertThat(PythonLiterals.classNames("{1:'b',0:'a'}")).containsExactly("a", "b");
        assertThat(PythonLiterals.classNames("{}")).isEmpty();
    }

    @Test
    void rejectsGapsAndGarbage() {
        assertThatThrownBy(() -> PythonLiterals.classNames("{0: 'a', 2: 'c'}")).hasMessageContaining("0..1");
        assertThatThrownBy(() -> PythonLiterals.classNames("['a', 'b']")).hasMessageContaining("expected '{'");
    }

    @Test
    void readsImageSizes() {
        assertThat(PythonLiterals.ints("[640, 640]")).containsExactly(640, 640);
        assertThat(PythonLiterals.ints("(384, 640)")).containsExactly(384, 640);
        assertThat(PythonLiterals.ints("320")).containsExactly(320);
    }
}
