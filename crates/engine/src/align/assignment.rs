//! The assignment problem: pair rows with columns so that the total score is
//! as high as possible (Hungarian method with potentials, O(n²·m)).

/// For a score matrix (`scores[row][column]`, higher is better), the column
/// each row is assigned to; every row gets one when there are at least as
/// many columns as rows, and the other way round. Ties are broken by index,
/// so the result depends only on the matrix.
pub fn maximize(scores: &[Vec<f64>]) -> Vec<Option<usize>> {
    let rows = scores.len();
    let columns = scores.first().map_or(0, Vec::len);
    if rows == 0 || columns == 0 {
        return vec![None; rows];
    }
    if rows > columns {
        let transposed: Vec<Vec<f64>> = (0..columns)
            .map(|c| (0..rows).map(|r| scores[r][c]).collect())
            .collect();
        let by_column = maximize(&transposed);
        let mut by_row = vec![None; rows];
        for (column, row) in by_column.into_iter().enumerate() {
            if let Some(row) = row {
                by_row[row] = Some(column);
            }
        }
        return by_row;
    }
    // Minimize cost = 1 - score; rows ≤ columns. 1-based arrays as in the
    // classic formulation, index 0 being the virtual start.
    let cost = |r: usize, c: usize| 1.0 - scores[r - 1][c - 1];
    let (n, m) = (rows, columns);
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; m + 1];
    let mut matched_row = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for row in 1..=n {
        matched_row[0] = row;
        let mut column0 = 0;
        let mut min_value = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[column0] = true;
            let row0 = matched_row[column0];
            let mut delta = f64::INFINITY;
            let mut column1 = 0;
            for column in 1..=m {
                if used[column] {
                    continue;
                }
                let reduced = cost(row0, column) - u[row0] - v[column];
                if reduced < min_value[column] {
                    min_value[column] = reduced;
                    way[column] = column0;
                }
                if min_value[column] < delta {
                    delta = min_value[column];
                    column1 = column;
                }
            }
            for column in 0..=m {
                if used[column] {
                    u[matched_row[column]] += delta;
                    v[column] -= delta;
                } else {
                    min_value[column] -= delta;
                }
            }
            column0 = column1;
            if matched_row[column0] == 0 {
                break;
            }
        }
        loop {
            let column1 = way[column0];
            matched_row[column0] = matched_row[column1];
            column0 = column1;
            if column0 == 0 {
                break;
            }
        }
    }
    let mut by_row = vec![None; rows];
    for column in 1..=m {
        if matched_row[column] != 0 {
            by_row[matched_row[column] - 1] = Some(column - 1);
        }
    }
    by_row
}

#[cfg(test)]
mod tests {
    use super::maximize;

    #[test]
    fn finds_the_best_total_not_the_greedy_one() {
        // Greedy takes (0,0)=0.9 and is left with (1,1)=0.1: 1.0 in all.
        // The best is (0,1)+(1,0) = 0.8+0.8 = 1.6.
        let scores = vec![vec![0.9, 0.8], vec![0.8, 0.1]];
        assert_eq!(maximize(&scores), vec![Some(1), Some(0)]);
    }

    #[test]
    fn rectangular_either_way() {
        assert_eq!(maximize(&[vec![0.1, 0.9, 0.2]]), vec![Some(1)]);
        assert_eq!(
            maximize(&[vec![0.1], vec![0.9], vec![0.2]]),
            vec![None, Some(0), None]
        );
        assert_eq!(maximize(&[]), Vec::<Option<usize>>::new());
    }
}
